import { createRequire } from 'node:module';

// canonicalize is CommonJS (`module.exports = fn`) but its typings declare an ES default export,
// which NodeNext resolution reads as a namespace; loading it through require gives the function.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (
  value: unknown,
) => string | undefined;

/**
 * RFC 8785 (JCS) canonical JSON of any JSON value: object keys sorted by UTF-16 code units, no
 * whitespace, numbers in their ECMAScript form; `undefined` members are left out. The one
 * implementation in the repository: the server's audit hashes, receipts and consent records all
 * use it. Non-finite numbers are refused (JCS has no spelling for them).
 */
export function canonicalJson(value: unknown): string {
  assertFinite(value);
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('canonicalJson: value cannot be written as JSON');
  return text;
}

function assertFinite(value: unknown): void {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new TypeError('canonicalJson: non-finite number');
  if (Array.isArray(value)) value.forEach(assertFinite);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date))
    Object.values(value).forEach(assertFinite);
}
