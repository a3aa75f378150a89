import type { Finding } from './finding.js';
import type { ResearchPurpose, SensitiveTopic } from './match-types.js';

const TOPIC_PHRASE: Record<Exclude<SensitiveTopic, 'OTHER'>, string> = {
  CONTROLS: 'use as controls',
  POPULATION: 'population research',
  GENDER: 'research focused on gender',
  PEDIATRIC: 'paediatric research',
  VULNERABLE_POPULATIONS: 'research on vulnerable populations',
  ILLEGAL_BEHAVIOR: 'research on illegal behaviour',
  SEXUAL_DISEASES: 'research on sexually transmitted diseases',
  PSYCHOLOGICAL_TRAITS: 'research on psychological traits',
  NOT_HEALTH: 'research that is not health-related',
  STIGMATIZED_DISEASES: 'research on stigmatised diseases',
};

/**
 * One ABSTAIN per declared sensitive topic, as in DUOS. The OTHER description is not quoted: it
 * is free text that may hold personal data, and reasons end up in logs and notifications; the
 * reviewer reads it on the purpose itself.
 */
export function sensitiveTopicFindings(purpose: ResearchPurpose): Finding[] {
  const findings: Finding[] = [...new Set(purpose.sensitive)]
    .filter((topic): topic is Exclude<SensitiveTopic, 'OTHER'> => topic !== 'OTHER')
    .map((topic) => ({
      verdict: 'ABSTAIN',
      reason: `Sensitive topic needs human review: ${TOPIC_PHRASE[topic]} (${topic})`,
    }));
  // Free text is read by a person even without the OTHER flag: a matcher cannot vouch for it.
  if (purpose.sensitive.includes('OTHER') || (purpose.otherText ?? '').trim() !== '') {
    findings.push({
      verdict: 'ABSTAIN',
      reason:
        'The purpose describes another sensitive topic in free text (OTHER), which needs human review',
    });
  }
  return findings;
}
