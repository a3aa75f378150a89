import type { DataUseTerms, ResearchPurpose } from '../modules/consent/duo/match-types.js';
import { createMondoFixtureOntology } from '../modules/consent/duo/mondo-fixture.js';

/** A plain, non-sensitive, non-commercial GRU purpose, overridable field by field (tests only). */
export function purposeOf(overrides: Partial<ResearchPurpose> = {}): ResearchPurpose {
  return { primary: 'GRU', diseases: [], commercial: false, sensitive: [], ...overrides };
}

/** Unmodified GRU data use, overridable field by field (tests only). */
export function dataUseOf(overrides: Partial<DataUseTerms> = {}): DataUseTerms {
  return { permission: 'GRU', diseases: [], modifiers: [], ...overrides };
}

/** The shared fixture ontology for tests. */
export const fixtureOntology = createMondoFixtureOntology();
