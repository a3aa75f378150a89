import { describe, expect, it } from 'vitest';
import { formText } from './form-text';

describe('formText', () => {
  it('reads a text field as typed, untrimmed', () => {
    const form = new FormData();
    form.set('name', '  Ada ');
    expect(formText(form, 'name')).toBe('  Ada ');
  });

  it("reads an absent field or a file as ''", () => {
    const form = new FormData();
    form.set('letter', new File(['%PDF'], 'letter.pdf', { type: 'application/pdf' }));
    expect(formText(form, 'missing')).toBe('');
    expect(formText(form, 'letter')).toBe('');
  });
});
