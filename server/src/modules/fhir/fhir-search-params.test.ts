import { describe, expect, it } from 'vitest';
import { fhirAuditAction } from './fhir-audit-action.js';
import { intersectDates, parseCount, parseDateParam } from './fhir-search-params.js';

describe('FHIR search parameters', () => {
  it('reads a date as the period of its precision, compared by prefix', () => {
    expect(parseDateParam('2026-03-05')).toEqual({
      from: new Date('2026-03-05T00:00:00Z'),
      to: new Date('2026-03-06T00:00:00Z'),
    });
    expect(parseDateParam('ge2026-03')).toEqual({ from: new Date('2026-03-01T00:00:00Z') });
    expect(parseDateParam('le2026')).toEqual({ to: new Date('2027-01-01T00:00:00Z') });
    expect(parseDateParam('gt2026-03-05')).toEqual({ from: new Date('2026-03-06T00:00:00Z') });
    expect(parseDateParam('lt2026-03-05T10:00:00+01:00')).toEqual({
      to: new Date('2026-03-05T09:00:00Z'),
    });
    for (const bad of [
      'yesterday',
      '2026-03-05T10:00',
      'ne2026',
      '2026-13-99x',
      '2026-13-01',
      '2026-02-30',
      '2026-02-01T25:00:00Z',
    ])
      expect(() => parseDateParam(bad), bad).toThrow(/date/);
    expect(
      intersectDates([parseDateParam('ge2026-01-01'), parseDateParam('le2026-01-31')]),
    ).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') });
  });

  it('caps _count at 200 and refuses nonsense', () => {
    expect(parseCount(null)).toBe(50);
    expect(parseCount('500')).toBe(200);
    expect(() => parseCount('0')).toThrow();
    expect(() => parseCount('abc')).toThrow();
  });

  it('derives the FHIR action from the verb of our action', () => {
    expect(fhirAuditAction('participant.create')).toBe('C');
    expect(fhirAuditAction('dataset.register')).toBe('C');
    expect(fhirAuditAction('participant.enrol')).toBe('C');
    expect(fhirAuditAction('cohort.count')).toBe('R');
    expect(fhirAuditAction('fhir.read')).toBe('R');
    expect(fhirAuditAction('consent.preferences.update')).toBe('U');
    expect(fhirAuditAction('participant.withdraw')).toBe('D');
    expect(fhirAuditAction('auth.login')).toBe('E');
    expect(fhirAuditAction('audit.verify')).toBe('E');
    expect(fhirAuditAction('grant.issue')).toBe('C');
    expect(fhirAuditAction('export.include')).toBe('R');
    expect(fhirAuditAction('consent_request.answer')).toBe('U');
    expect(fhirAuditAction('review.vote')).toBe('E');
    expect(fhirAuditAction('grant.revoke')).toBe('D');
  });
});
