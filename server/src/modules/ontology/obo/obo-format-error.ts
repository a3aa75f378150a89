/** An OBO file that cannot be imported: a malformed stanza, a duplicate id, or an is_a cycle. */
export class OboFormatError extends Error {
  /** 1-based line in the file, when the problem sits on one line. */
  readonly line: number | undefined;
  readonly reason: string;
  /** The terms of an is_a cycle, in order (the first repeats the last's parent). */
  readonly cycle: string[] | undefined;

  constructor(reason: string, options: { line?: number; cycle?: string[] } = {}) {
    super(options.line === undefined ? reason : `OBO line ${options.line}: ${reason}`);
    this.name = 'OboFormatError';
    this.line = options.line;
    this.reason = reason;
    this.cycle = options.cycle;
  }
}
