import { describe, expect, it } from 'vitest';
import {
  auditFilterQuery,
  readAuditFilter,
  validateAuditFilter,
  type AuditFilterValues,
} from './audit-filter';

const empty = readAuditFilter(new URLSearchParams());

function filter(values: Partial<AuditFilterValues>) {
  return validateAuditFilter({ ...empty, ...values });
}

describe('readAuditFilter', () => {
  it('reads every field, trimmed, empty when absent, from a URL or a form', () => {
    const fromUrl = readAuditFilter(new URLSearchParams('action=+consent.read+&role=admin'));
    expect(fromUrl).toMatchObject({ action: 'consent.read', role: 'admin', actor: '', to: '' });
    const form = new FormData();
    form.set('pseudonym', 'P-4KQ7M2XW');
    expect(readAuditFilter(form).pseudonym).toBe('P-4KQ7M2XW');
  });
});

describe('validateAuditFilter', () => {
  it('turns a valid filter into the API input, the end day included', () => {
    const actor = '0b6c4f7e-3a2d-4e51-9c1f-2b7a8d9e0f11';
    const { errors, filter: api } = filter({
      action: 'consent.read',
      group: 'consent',
      actor,
      role: 'system',
      pseudonym: 'P-4KQ7M2XW',
      targetType: 'participant',
      targetId: 'x',
      from: '2026-01-01',
      to: '2026-01-31',
    });
    expect(errors).toEqual({});
    expect(api).toEqual({
      action: 'consent.read',
      actionGroup: 'consent',
      actorId: actor,
      actorRole: 'system',
      participantPseudonym: 'P-4KQ7M2XW',
      targetType: 'participant',
      targetId: 'x',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-31T23:59:59.999Z',
    });
  });

  it('refuses each bad field with its own message and leaves it out of the input', () => {
    const { errors, filter: api } = filter({
      group: 'Consent!',
      actor: 'someone@example.org',
      role: 'owner',
      pseudonym: 'P 1',
      from: '2026-02-30',
      to: '31/01/2026',
    });
    expect(Object.keys(errors).sort()).toEqual([
      'actor',
      'from',
      'group',
      'pseudonym',
      'role',
      'to',
    ]);
    expect(errors.actor).toBe('Choose a person from the list.');
    expect(errors.from).toBe('Enter a date as YYYY-MM-DD.');
    expect(api).toEqual({});
  });

  it('refuses a start after the end', () => {
    expect(filter({ from: '2026-03-02', to: '2026-03-01' }).errors.from).toBe(
      'The start must not be after the end.',
    );
  });

  it('buckets by hour for two days at most, by day otherwise, and as asked if it fits', () => {
    expect(filter({ from: '2026-03-01', to: '2026-03-02' }).bucket).toBe('HOUR');
    expect(filter({ from: '2026-03-01', to: '2026-03-04' }).bucket).toBe('DAY');
    expect(filter({}).bucket).toBe('DAY');
    expect(filter({ from: '2026-03-01', to: '2026-03-20', bucket: 'HOUR' }).bucket).toBe('HOUR');
    expect(filter({ from: '2026-01-01', to: '2026-03-01', bucket: 'HOUR' }).errors.bucket).toBe(
      'Hours work for ranges up to 40 days; choose days.',
    );
    expect(filter({ bucket: 'WEEK' }).errors.bucket).toBe('Choose hours or days.');
  });
});

describe('auditFilterQuery', () => {
  it('keeps non-empty values in form order, drops the automatic bucket, adds extras', () => {
    expect(
      auditFilterQuery({ ...empty, role: 'admin', action: 'a', bucket: 'auto' }, { before: 7 }),
    ).toBe('?action=a&role=admin&before=7');
    expect(auditFilterQuery(empty)).toBe('');
  });
});
