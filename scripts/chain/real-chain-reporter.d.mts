/** A vitest reporter that prints how many real-chain tests ran (see real-chain-reporter.mjs). */
export declare function realChainReporter(pkg: string): {
  onFinished(files?: readonly unknown[]): void;
};
