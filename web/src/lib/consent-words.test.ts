import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale, type Locale } from '$lib/paraglide/runtime';
import { collectionSummary, relationshipWord } from './consent-words';

describe('the starting point and a representative, in the page’s language', () => {
  const original = getLocale;
  const speak = (locale: Locale) => overwriteGetLocale(() => locale);
  afterEach(() => overwriteGetLocale(original));

  it('says what was agreed at collection, from the kind and its DUO codes', () => {
    speak('en');
    expect(collectionSummary({ kind: 'BROAD_HMB', duoCodes: [] })).toBe(
      'your data may be used for health and medical research, without asking you each time',
    );
    expect(collectionSummary({ kind: 'SPECIFIC', duoCodes: ['DS', 'POA'] })).toBe(
      'your data may be used for research on the named diseases, population and ancestry research only, without asking you each time',
    );
    speak('es');
    expect(collectionSummary({ kind: 'RECONTACT_EACH_USE', duoCodes: [] })).toBe(
      'se le pregunta antes de cada nuevo uso de sus datos',
    );
    expect(collectionSummary({ kind: 'SPECIFIC', duoCodes: ['MDS'] })).toBe(
      'sus datos pueden usarse solo para investigación sobre métodos, sin preguntarle cada vez',
    );
  });

  it('names the relationship, and passes an unknown one through', () => {
    speak('es');
    expect(relationshipWord('guardian')).toBe('tutor o tutora');
    expect(relationshipWord('godparent')).toBe('godparent');
  });
});
