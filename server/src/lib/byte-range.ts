/** A resolved byte range of a file: `start`..`end`, both inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a `Range` header asks of a file of `size` bytes (RFC 9110 § 14): `full` when there is no
 * header, or one this server ignores (not `bytes`, several ranges, malformed), which the RFC lets
 * a server answer with the whole file; `range` for one satisfiable range (clipped to the file);
 * `unsatisfiable` when it starts past the end, or asks for the last 0 bytes.
 */
export function resolveRange(
  header: string | null,
  size: number,
): { kind: 'full' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' } {
  if (header === null) return { kind: 'full' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'full' };
  if (match[1] === '') {
    // A suffix: the last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(match[1]);
  // "9-3" is malformed (ignored); "0-" of an empty file is a range past its end.
  if (match[2] !== '' && Number(match[2]) < start) return { kind: 'full' };
  const end = match[2] === '' ? size - 1 : Number(match[2]);
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } };
}
