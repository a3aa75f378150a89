import { describe, expect, it } from 'vitest';
import { matchDataUse } from './match-data-use.js';
import { SENSITIVE_TOPICS, type ResearchPurpose } from './match-types.js';
import { MONDO } from './mondo-fixture.js';
import {
  dataUseOf,
  fixtureOntology as ontology,
  purposeOf,
} from '../../../test/duo-test-builders.js';

const onGru = (purpose: Partial<ResearchPurpose>) =>
  matchDataUse(purposeOf(purpose), dataUseOf(), ontology);

describe('sensitive topics go to human review', () => {
  const named = SENSITIVE_TOPICS.filter((t) => t !== 'OTHER');

  it.each(named)('%s → ABSTAIN naming the topic', (topic) => {
    const result = onGru({ sensitive: [topic] });
    expect(result.decision).toBe('ABSTAIN');
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatch(
      new RegExp(`^Sensitive topic needs human review: .+ \\(${topic}\\)$`),
    );
  });

  it('several topics give one reason each, in the order given', () => {
    const result = onGru({ sensitive: ['PEDIATRIC', 'CONTROLS', 'PEDIATRIC'] });
    expect(result.reasons).toEqual([
      'Sensitive topic needs human review: paediatric research (PEDIATRIC)',
      'Sensitive topic needs human review: use as controls (CONTROLS)',
    ]);
  });

  it('OTHER with free text abstains without echoing the text', () => {
    const secret = 'Study of Jane Doe, born 1970-01-01';
    const result = onGru({ sensitive: ['OTHER'], otherText: secret });
    expect(result.decision).toBe('ABSTAIN');
    expect(result.reasons).toEqual([
      'The purpose describes another sensitive topic in free text (OTHER), which needs human review',
    ]);
    expect(JSON.stringify(result)).not.toContain('Jane');
  });

  it('OTHER without text still abstains', () => {
    expect(onGru({ sensitive: ['OTHER'] }).decision).toBe('ABSTAIN');
  });

  it('free text without the OTHER flag is still read by a person', () => {
    expect(onGru({ otherText: 'something else' }).decision).toBe('ABSTAIN');
    expect(onGru({ otherText: '   ' }).decision).toBe('APPROVE');
  });

  it('a reviewed-but-fitting purpose keeps its obligations', () => {
    const result = matchDataUse(
      purposeOf({ sensitive: ['GENDER'] }),
      dataUseOf({ modifiers: ['IRB'] }),
      ontology,
    );
    expect(result.decision).toBe('ABSTAIN');
    expect(result.obligations.map((o) => o.code)).toEqual(['IRB']);
  });
});

describe('precedence: DENY over ABSTAIN over APPROVE', () => {
  it('DENY wins over ABSTAIN, and the abstain reasons stay after the deny reasons', () => {
    const result = matchDataUse(
      purposeOf({ commercial: true, sensitive: ['PEDIATRIC'] }),
      dataUseOf({ modifiers: ['NCU', 'RS'] }),
      ontology,
    );
    expect(result.decision).toBe('DENY');
    expect(result.reasons[0]).toContain('(NCU)');
    expect(result.reasons.slice(1)).toEqual([
      'Dataset carries research-specific restrictions (RS) that a reviewer must read',
      'Sensitive topic needs human review: paediatric research (PEDIATRIC)',
    ]);
  });

  it('ABSTAIN wins over APPROVE and drops the approving reasons', () => {
    const result = matchDataUse(
      purposeOf({ sensitive: ['CONTROLS'] }),
      dataUseOf({ modifiers: ['CC'] }),
      ontology,
    );
    expect(result.decision).toBe('ABSTAIN');
    expect(result.reasons.join('\n')).not.toContain('general research use');
    expect(result.reasons.join('\n')).not.toContain('clinical care');
  });

  it('APPROVE explains why the purpose fits', () => {
    const result = matchDataUse(purposeOf(), dataUseOf({ modifiers: ['CC'] }), ontology);
    expect(result).toMatchObject({
      decision: 'APPROVE',
      reasons: [
        'Dataset permits general research use (GRU), which includes general research',
        'Dataset also allows clinical care use (CC), which adds no restriction',
      ],
    });
  });

  it('a DS mismatch with a sensitive topic is denied, not reviewed', () => {
    const result = matchDataUse(
      purposeOf({
        primary: 'DS',
        diseases: [MONDO.type2Diabetes],
        sensitive: ['STIGMATIZED_DISEASES'],
      }),
      dataUseOf({ permission: 'DS', diseases: [MONDO.cancer] }),
      ontology,
    );
    expect(result.decision).toBe('DENY');
    expect(result.reasons).toHaveLength(2);
  });
});
