import { and, asc, eq, exists, isNotNull, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { users } from '../accounts/accounts.tables.js';
import { assertCanReadAudit } from '../audit/audit.policy.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { auditEvents } from '../audit/audit.tables.js';

/** A staff account that appears in the trail as an actor. */
export interface AuditActor {
  id: string;
  displayName: string;
  role: string;
}

/** The values the explorer's filter offers, so people pick rather than type. */
export interface AuditFacets {
  actions: string[];
  targetTypes: string[];
  actors: AuditActor[];
}

/**
 * Lists the distinct actions and target types in the trail and the staff accounts that acted.
 * Participants' accounts are left out: their names would tie a person to the pseudonymous events
 * (boards filter by pseudonym or by the participant role instead). Audited like any audit read.
 */
export async function auditFacets(tx: Tx, actor: Actor | null): Promise<AuditFacets> {
  assertCanReadAudit(actor);
  const actions = await tx
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .orderBy(asc(auditEvents.action));
  const targetTypes = await tx
    .selectDistinct({ targetType: auditEvents.targetType })
    .from(auditEvents)
    .where(isNotNull(auditEvents.targetType))
    .orderBy(asc(auditEvents.targetType));
  const actors = await tx
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(
      and(
        ne(users.role, 'participant'),
        exists(
          tx
            .select({ one: sql`1` })
            .from(auditEvents)
            .where(eq(auditEvents.actorId, users.id)),
        ),
      ),
    )
    .orderBy(asc(users.displayName), asc(users.id));
  await appendAuditEvent(tx, actor, {
    action: 'audit.facets',
    payload: { actions: actions.length, actors: actors.length },
  });
  return {
    actions: actions.map((a) => a.action),
    targetTypes: targetTypes.map((t) => t.targetType!),
    actors,
  };
}
