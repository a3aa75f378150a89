import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';

const base = { LOG_LEVEL: 'silent', DEMO_SEED: 'false' } as const;

/** Each site of `npm run federation:local` seeds its own share of the demo through these. */
describe('the demo cohort settings', () => {
  it('default to the single-site demo: 2,000 people from seed 2026', () => {
    expect(loadConfig({ ...base }).demoCohort).toEqual({ seed: 2026, participants: 2_000 });
  });

  it('take a site its own seed and size', () => {
    const config = loadConfig({ ...base, DEMO_COHORT_SEED: '2027', DEMO_COHORT_SIZE: '1500' });
    expect(config.demoCohort).toEqual({ seed: 2027, participants: 1_500 });
  });

  it('refuse a size that is not a positive whole number, naming the setting', () => {
    for (const size of ['0', '-5', '1.5', 'many'])
      expect(() => loadConfig({ ...base, DEMO_COHORT_SIZE: size })).toThrow(/DEMO_COHORT_SIZE/);
    expect(() => loadConfig({ ...base, DEMO_COHORT_SEED: '-1' })).toThrow(/DEMO_COHORT_SEED/);
  });
});
