import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';

/** A message file as a map of key → text, without its `$schema`. */
function messages(locale: string): Record<string, string> {
  const url = new URL(`../../messages/${locale}.json`, import.meta.url);
  const { $schema: _schema, ...texts } = JSON.parse(readFileSync(url, 'utf8')) as Record<
    string,
    string
  >;
  return texts;
}

/** The `{names}` a text fills in. */
const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((p) => p[1]).sort();

describe('the portal speaks English and Spanish alike', () => {
  const en = messages('en');
  const es = messages('es');

  it('has the same messages in both languages', () => {
    expect(Object.keys(en).length).toBeGreaterThan(100);
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it('fills in the same values in both, and no Spanish text is empty', () => {
    for (const [key, text] of Object.entries(en)) {
      expect(params(es[key]!), key).toEqual(params(text));
      expect(es[key]!.trim(), key).not.toBe('');
    }
  });

  it('compiles both into the message functions the pages call', () => {
    expect(m.consent_title({}, { locale: 'es' })).toBe('Lo que usted permite');
    expect(m.consent_title({}, { locale: 'en' })).toBe('What you allow');
    expect(m.timeline_event_meta({ actor: 'Usted', seq: 7 }, { locale: 'es' })).toBe(
      'por Usted · registro n.º 7',
    );
  });
});
