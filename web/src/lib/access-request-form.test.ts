import { describe, expect, it } from 'vitest';
import { REQUEST_SECTIONS, fieldText, formField, sectionData } from './access-request-form';

const section = (key: string) => REQUEST_SECTIONS.find((s) => s.key === key)!;

describe('the access request form', () => {
  it('reads a list of people one per line, and shows it back the same way', () => {
    const form = new FormData();
    form.set(
      'collaborators.collaborators',
      'Sam Colleague; sam@x.example; Elsewhere\n\n  Kim; kim@y.example; Y Institute ',
    );
    const data = sectionData(section('COLLABORATORS'), form);
    expect(data).toEqual({
      collaborators: [
        { name: 'Sam Colleague', email: 'sam@x.example', institution: 'Elsewhere' },
        { name: 'Kim', email: 'kim@y.example', institution: 'Y Institute' },
      ],
    });
    expect(fieldText('people', data.collaborators)).toBe(
      'Sam Colleague; sam@x.example; Elsewhere\nKim; kim@y.example; Y Institute',
    );
  });

  it('sends no cloud as null and the publication answer as a boolean', () => {
    const form = new FormData();
    form.set('security.approvedCloud', '');
    form.set('security.itPlan', 'plan');
    expect(sectionData(section('SECURITY'), form)).toEqual({ approvedCloud: null, itPlan: 'plan' });
    const pub = new FormData();
    pub.set('publication.intendsToPublish', 'yes');
    pub.set('publication.plan', 'journal');
    expect(sectionData(section('PUBLICATION'), pub)).toEqual({
      intendsToPublish: true,
      plan: 'journal',
    });
  });

  it('puts an error on a list entry beside the list', () => {
    expect(formField('collaborators.collaborators.1.email')).toBe('collaborators.collaborators');
    expect(formField('irb.expiresOn')).toBe('irb.expiresOn');
  });
});
