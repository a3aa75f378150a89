import { describe, expect, it } from 'vitest';
import {
  canonicalEvent,
  canonicalEventFast,
  canonicalJson,
  eventHash,
  eventHashFast,
  type HashedEvent,
} from './audit-hash.js';

const base: HashedEvent = {
  seq: 1,
  occurredAt: new Date('2026-12-04T13:30:00.123Z'),
  actorId: null,
  actorRole: 'system',
  action: 'cohort.count',
  targetType: null,
  targetId: null,
  participantId: null,
  payload: '{}',
};

describe('the spliced canonical event text (audit verify’s fast path)', () => {
  it('is the canonical text whenever the stored payload is canonical', () => {
    const payloads: unknown[] = [
      {},
      { shown: '<20', genes: ['BRCA2', 'TP53'], nested: { z: 1, a: [true, null, 1.5e-7] } },
      { text: 'quote " backslash \\ newline \n tab \t nul \u0000 é 𝄞 \u2028' },
      { '€': 1, a: 2, A: 3, '\u00e9': 4, '10': 5, '9': 6 },
      { big: 12345678901234, neg: -0.000001, exp: 1e21 },
    ];
    const events: HashedEvent[] = payloads.flatMap((p, i) => [
      { ...base, seq: i + 1, payload: canonicalJson(p) },
      {
        ...base,
        seq: 1_000_000 + i,
        actorId: '0b6f3c1e-7d5a-4a9e-9a51-0f3e2d1c4b5a',
        actorRole: 'researcher',
        action: 'data_use.read',
        targetType: 'participant',
        targetId: 'P-DEMO0001 "quoted"',
        participantId: '6f9d2b1a-3c4e-4f5a-8b7c-1d2e3f4a5b6c',
        payload: canonicalJson(p),
      },
    ]);
    for (const e of events) {
      expect(canonicalEventFast(e)).toBe(canonicalEvent(e));
      expect(eventHashFast('ab'.repeat(32), e)).toBe(eventHash('ab'.repeat(32), e));
    }
  });

  it('differs when the stored payload is not canonical, so verify falls back to parsing it', () => {
    const e = { ...base, payload: '{ "b": 1, "a": 2 }' };
    expect(canonicalEventFast(e)).not.toBe(canonicalEvent(e));
  });
});
