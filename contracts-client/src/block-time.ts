/**
 * Block times travel as nanoseconds (CosmWasm's `env.block.time`, beyond 2^53) and as RFC 3339
 * with nanoseconds (Tendermint's header time). These convert between the two without floats.
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** `1700000000123456789n` → `2023-11-14T22:13:20.123456789Z`. */
export function nanosToRfc3339(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction}Z`;
}

/** RFC 3339 (any precision up to ns, any offset) → nanoseconds since the epoch. */
export function rfc3339ToNanos(time: string): bigint {
  const m = RFC3339.exec(time);
  if (!m) throw new RangeError(`not an RFC 3339 time: ${time}`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new RangeError(`not an RFC 3339 time: ${time}`);
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** Normalises any RFC 3339 time to UTC with 9 fraction digits, the form receipts carry. */
export function normalizeRfc3339(time: string): string {
  return nanosToRfc3339(rfc3339ToNanos(time));
}
