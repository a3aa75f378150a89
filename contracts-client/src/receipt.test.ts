import { describe, expect, it } from 'vitest';
import { nanosToRfc3339, normalizeRfc3339, rfc3339ToNanos } from './block-time.js';
import { canonicalJson } from './canonical-json.js';
import { buildReceipt, headHashFromEvents, receiptDigest } from './receipt.js';

describe('receipts', () => {
  it('digests canonical JSON of (height, message, sender, time), independent of key order', () => {
    const a = receiptDigest({
      message: { add_writer: { address: 'w' } },
      sender: 's',
      height: 5,
      time: 't',
    });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalJson({ b: 1, a: [{ y: 'é', x: null }] })).toBe(
      '{"a":[{"x":null,"y":"é"}],"b":1}',
    );
    expect(
      receiptDigest({
        message: { add_writer: { address: 'w' } },
        sender: 's',
        height: 6,
        time: 't',
      }),
    ).not.toBe(a);
  });

  it('takes the head from the wasm-* event, falling back to the head before', () => {
    const events = [
      { type: 'execute', attributes: [{ key: '_contract_address', value: 'c' }] },
      { type: 'wasm', attributes: [{ key: 'head', value: 'h1' }] },
      { type: 'wasm-consent_recorded', attributes: [{ key: 'head', value: 'h2' }] },
    ];
    expect(headHashFromEvents(events)).toBe('h2');
    expect(headHashFromEvents(events.slice(0, 2))).toBe('h1');
    const r = buildReceipt({
      chainId: 'c-1',
      sender: 's',
      message: { remove_writer: { address: 'w' } },
      outcome: { transactionHash: 'T', height: 3, time: 'x', events: [] },
      headBefore: 'h0',
    });
    expect(r).toMatchObject({ headHash: 'h0', txHash: 'T', chainId: 'c-1' });
    expect(r.summary).toBeUndefined();
  });

  it('converts block times between nanoseconds and RFC 3339 without losing precision', () => {
    expect(nanosToRfc3339(1700000000123456789n)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(rfc3339ToNanos('2023-11-14T22:13:20.123456789Z')).toBe(1700000000123456789n);
    expect(normalizeRfc3339('2023-11-15T00:13:20.5+02:00')).toBe('2023-11-14T22:13:20.500000000Z');
    expect(() => rfc3339ToNanos('yesterday')).toThrow(RangeError);
  });
});
