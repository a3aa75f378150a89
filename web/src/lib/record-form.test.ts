import { describe, expect, it } from 'vitest';
import { readConditionForm, readMeasurementForm } from './record-form';

const formOf = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
};
const future = () => new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
const TERMS = [{ id: 'HP:0002099', label: 'Asthma' }];

describe('readConditionForm', () => {
  it('takes the picked term, the onset and the private note', () => {
    const read = readConditionForm(
      formOf({ code: 'HP:0002099', onset: '2001-03-04', note: ' worse in spring ' }),
      TERMS,
      true,
    );
    expect(read).toMatchObject({
      ok: true,
      input: { code: 'HP:0002099', onset: '2001-03-04', note: 'worse in spring' },
    });
  });

  it('matches a typed label or code without JavaScript, and leaves the note out for clinicians', () => {
    const read = readConditionForm(formOf({ codeQuery: 'asthma', note: 'x' }), TERMS, false);
    expect(read).toEqual({
      ok: true,
      input: { code: 'HP:0002099', onset: null },
      values: { code: 'HP:0002099', onset: '', note: '' },
    });
  });

  it('refuses a missing term and a future or malformed onset, field by field', () => {
    const read = readConditionForm(formOf({ onset: future() }), TERMS, true);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(Object.keys(read.errors).sort()).toEqual(['code', 'onset']);
    const bad = readConditionForm(formOf({ code: 'HP:0002099', onset: '2001-13-45' }), TERMS, true);
    expect(bad).toMatchObject({ ok: false, errors: { onset: expect.stringMatching(/date/i) } });
  });
});

describe('readMeasurementForm', () => {
  it('reads a height with a decimal comma and a smoking status without a value', () => {
    expect(
      readMeasurementForm(formOf({ measurement: 'HEIGHT', value: '172,5' }), true),
    ).toMatchObject({
      ok: true,
      input: { measurement: 'HEIGHT', value: 172.5, status: null, note: null },
    });
    expect(
      readMeasurementForm(
        formOf({ measurement: 'SMOKING_STATUS', status: 'FORMER', value: '3' }),
        false,
      ),
    ).toEqual({
      ok: true,
      values: expect.any(Object),
      input: { measurement: 'SMOKING_STATUS', value: null, status: 'FORMER', takenOn: null },
    });
  });

  it('refuses a value out of range, a missing status or kind, and a future day', () => {
    const tall = readMeasurementForm(formOf({ measurement: 'HEIGHT', value: '900' }), true);
    expect(tall).toMatchObject({ ok: false, errors: { value: expect.stringContaining('260') } });
    const smoking = readMeasurementForm(formOf({ measurement: 'SMOKING_STATUS' }), true);
    expect(smoking).toMatchObject({ ok: false, errors: { status: expect.any(String) } });
    const none = readMeasurementForm(formOf({ takenOn: future() }), true);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(Object.keys(none.errors).sort()).toEqual(['measurement', 'takenOn']);
  });
});
