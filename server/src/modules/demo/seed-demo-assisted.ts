import type { Tx } from '../../db/database.js';
import { insertUser } from '../accounts/accounts.service.js';
import { sessionlessUser, type SystemActor } from '../actors/actor.js';
import { registerConsentFormVersion } from '../assisted-consent/assisted-consent.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { createEnrolmentCode, enrolWithCode } from '../participants/participants.service.js';
import { linkRepresentative } from '../participation/coordinator-consent.service.js';
import { DEMO_ASSISTED_ACCOUNTS, DEMO_FORM_VERSION, DEMO_PASSWORD } from './demo-accounts.js';

/** A date of birth `years` years before today (UTC), as YYYY-MM-DD. */
function bornYearsAgo(years: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()))
    .toISOString()
    .slice(0, 10);
}

/**
 * The demo's staff-assisted and proxy consent: the site's consent coordinator, the paper form
 * version they record against, a 16-year-old participant (`represented`, enrolled on
 * `participantId`) and their parent's portal account, linked by the coordinator as legal
 * representative until the participant comes of age. Through the same use cases as the API.
 */
export async function seedAssistedConsent(
  tx: Tx,
  actor: SystemActor,
  participantId: string,
): Promise<void> {
  const { coordinator, represented, guardian } = DEMO_ASSISTED_ACCOUNTS;
  const staff = await insertUser(
    tx,
    { ...coordinator, password: DEMO_PASSWORD },
    { emailVerified: true },
  );
  const parent = await insertUser(
    tx,
    { ...guardian, password: DEMO_PASSWORD },
    { emailVerified: true },
  );
  for (const user of [staff, parent])
    await appendAuditEvent(tx, actor, {
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      payload: { role: user.role },
    });
  await registerConsentFormVersion(tx, actor, DEMO_FORM_VERSION);
  const { code } = await createEnrolmentCode(tx, actor, participantId);
  await enrolWithCode(
    tx,
    {
      code,
      email: represented.email,
      password: DEMO_PASSWORD,
      displayName: represented.displayName,
    },
    { emailVerified: true },
  );
  const coordinatorActor = sessionlessUser(staff.id, 'consent_coordinator');
  await linkRepresentative(tx, coordinatorActor, {
    participantId,
    representativeEmail: guardian.email,
    relationship: 'parent',
    dateOfBirth: bornYearsAgo(16),
  });
}
