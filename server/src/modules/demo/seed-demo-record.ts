import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { insertUser } from '../accounts/accounts.service.js';
import { users } from '../accounts/accounts.tables.js';
import type { SystemActor, UserActor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { addCareTeamMember, createCareTeam } from '../record/care-team.service.js';
import { authoriseClinician } from '../record/clinician-authorisation.service.js';
import { addOwnCondition, addOwnMeasurement } from '../record/record.service.js';
import { DEMO_ACCOUNTS, DEMO_CARE_TEAM, DEMO_CLINICIAN, DEMO_PASSWORD } from './demo-accounts.js';

/**
 * The demo patient's own record and their clinician: a few self-reported entries (a condition
 * with a private note, height, smoking status) and `clinician@demo.local`, authorised to read
 * and append for a year. Through the same use cases as the portal, as the patient. The clinician
 * is also a member of the demo care team, which the patient has not authorised (the portal offers
 * it).
 */
export async function seedDemoRecord(tx: Tx, actor: SystemActor): Promise<void> {
  const clinician = await insertUser(
    tx,
    { ...DEMO_CLINICIAN, password: DEMO_PASSWORD },
    { emailVerified: true },
  );
  await appendAuditEvent(tx, actor, {
    action: 'user.create',
    targetType: 'user',
    targetId: clinician.id,
    payload: { role: clinician.role },
  });
  const team = await createCareTeam(tx, actor, DEMO_CARE_TEAM);
  await addCareTeamMember(tx, actor, { teamId: team.id, clinicianEmail: DEMO_CLINICIAN.email });
  const email = DEMO_ACCOUNTS.find((a) => a.role === 'participant')!.email;
  const [patient] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  const me: UserActor = { kind: 'user', userId: patient!.id, role: 'participant', sessionId: null };
  await addOwnCondition(tx, me, {
    code: 'HP:0001250',
    onset: '2012-05-01',
    note: 'Two episodes, none since the new medication',
  });
  await addOwnMeasurement(tx, me, { measurement: 'height', value: 178 });
  await addOwnMeasurement(tx, me, { measurement: 'smoking_status', status: 'never' });
  const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  await authoriseClinician(tx, me, {
    clinicianEmail: DEMO_CLINICIAN.email,
    canRead: true,
    canAppend: true,
    until: inAYear,
  });
}
