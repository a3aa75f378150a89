/** A phenotype file that cannot be imported as given. */
export class PhenotypeFormatError extends Error {
  /** 1-based line of the file, when the problem sits on one line (tables, JSONL). */
  readonly line: number | undefined;
  readonly reason: string;

  constructor(reason: string, line?: number) {
    super(line === undefined ? reason : `line ${line}: ${reason}`);
    this.name = 'PhenotypeFormatError';
    this.line = line;
    this.reason = reason;
  }
}
