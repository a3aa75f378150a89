import { createHash } from 'node:crypto';
import type { ConsentItem, GrantItem } from '../messages.js';

/** Deterministic 64-hex values for test payloads. */
export function hex64(seed: string | number): string {
  return createHash('sha256').update(String(seed)).digest('hex');
}

/** `n` consent items with ids `${prefix}:${start + i}`, one subject each, version 1. */
export function consentItems(
  prefix: string,
  start: number,
  n: number,
  overrides: Partial<ConsentItem> = {},
): ConsentItem[] {
  return Array.from({ length: n }, (_, i) => ({
    event_id: `${prefix}:${start + i}`,
    subject: hex64(`${prefix}-subject-${start + i}`),
    scope: 'research:genomics',
    decision: 'permit' as const,
    version: 1,
    evidence: hex64(`${prefix}-evidence-${start + i}`),
    time: '2024-05-01T12:00:00.000Z',
    ...overrides,
  }));
}

export function grantItem(id: string, overrides: Partial<GrantItem> = {}): GrantItem {
  return {
    event_id: `grant-evt:${id}`,
    grant_id: `grant-${id}`,
    study_id: 'study-3',
    cohort_root: hex64(`cohort-${id}`),
    expiry: 1893456000,
    ...overrides,
  };
}
