/**
 * A VCF file that cannot be read as given. `line` is the 1-based physical line of the
 * decompressed text where reading stopped, so a data steward can open the file and look.
 */
export class VcfFormatError extends Error {
  /** 1-based line number (header lines included); 0 when no line was read at all. */
  readonly line: number;
  /** What is wrong, without the line number. */
  readonly reason: string;

  constructor(line: number, reason: string) {
    super(`VCF line ${line}: ${reason}`);
    this.name = 'VcfFormatError';
    this.line = line;
    this.reason = reason;
  }
}
