import { and, eq, gte, like, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { idSchema } from '../../lib/validators.js';
import { ROLES } from '../actors/roles.js';
import { participants } from '../participants/participants.tables.js';
import { auditEvents } from '../audit/audit.tables.js';

/** The roles an audit event can be recorded under: account roles, the platform, nobody. */
export const ACTOR_ROLES = [...ROLES, 'system', 'anonymous'] as const;

/** A dotted audit action's group: its domain, the part before the first dot (`user.create` → `user`). */
export function actionGroupOf(action: string): string {
  const dot = action.indexOf('.');
  return dot === -1 ? action : action.slice(0, dot);
}

// Identifier-like only (no spaces, no @): filters are written into the audit trail as they are,
// so free text such as an e-mail address typed by mistake must not get in.
const shortText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[\w.:-]*$/, { message: 'must be an identifier (letters, digits, . : _ -)' })
    .transform((s) => (s === '' ? null : s))
    .nullish();

/**
 * What the trail can be narrowed by. Only identifiers, roles, action names and dates: no e-mail
 * addresses or names, so a filter can be written into the audit trail (and a URL) as it is.
 */
export const auditConditionsShape = {
  action: shortText(100),
  /** The domain part of the action (`user`, `consent`, `audit`…): every action in that group. */
  actionGroup: z
    .string()
    .trim()
    .regex(/^[a-z_]{1,50}$/, { message: 'must be an action group like consent or user' })
    .nullish(),
  actorId: idSchema.nullish(),
  actorRole: z.enum(ACTOR_ROLES, { message: 'must be a role, system or anonymous' }).nullish(),
  participantId: idSchema.nullish(),
  participantPseudonym: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'must be a pseudonym like P-4KQ7M2XW' })
    .nullish(),
  targetType: shortText(50),
  targetId: shortText(200),
  from: z.date().nullish(),
  to: z.date().nullish(),
};

/** A range whose start is after its end is refused, naming the start field. */
export function rangeInOrder(f: { from?: Date | null; to?: Date | null }): boolean {
  return !f.from || !f.to || f.from <= f.to;
}

/** The message and field `rangeInOrder` failures carry. */
export const RANGE_ORDER_ISSUE = {
  message: 'must not be after the end of the range',
  path: ['from'],
};

/** A filter as every audit read accepts it. */
export const AuditConditionsInput = z
  .object(auditConditionsShape)
  .refine(rangeInOrder, RANGE_ORDER_ISSUE);

/** A parsed filter. */
export type AuditConditions = z.output<typeof AuditConditionsInput>;

/** The WHERE conditions of a filter, and the participant it names (for the read's own audit event). */
export interface ResolvedConditions {
  where: SQL | undefined;
  participantId: string | null;
}

/**
 * Turns a parsed filter into SQL conditions. A pseudonym is looked up inside the caller's
 * transaction; an unknown one matches nothing rather than failing, as an empty result would.
 */
export async function resolveAuditConditions(
  tx: Tx,
  f: AuditConditions,
): Promise<ResolvedConditions> {
  const where: SQL[] = [];
  let participantId = f.participantId ?? null;
  if (f.participantPseudonym) {
    const [p] = await tx
      .select({ id: participants.id })
      .from(participants)
      .where(eq(participants.pseudonym, f.participantPseudonym));
    if (!p) where.push(sql`false`);
    else {
      if (participantId && participantId !== p.id) where.push(sql`false`);
      participantId = p.id;
    }
  }
  if (f.action) where.push(eq(auditEvents.action, f.action));
  // Escape LIKE's wildcards even though the regex already rules them out: the rule may loosen.
  if (f.actionGroup)
    where.push(like(auditEvents.action, `${f.actionGroup.replace(/[\\%_]/g, '\\$&')}.%`));
  if (f.actorId) where.push(eq(auditEvents.actorId, f.actorId));
  if (f.actorRole) where.push(eq(auditEvents.actorRole, f.actorRole));
  if (participantId) where.push(eq(auditEvents.participantId, participantId));
  if (f.targetType) where.push(eq(auditEvents.targetType, f.targetType));
  if (f.targetId) where.push(eq(auditEvents.targetId, f.targetId));
  if (f.from) where.push(gte(auditEvents.occurredAt, f.from));
  if (f.to) where.push(lte(auditEvents.occurredAt, f.to));
  return { where: where.length ? and(...where) : undefined, participantId };
}

/** The filter as it is recorded in the read's own audit event: ids, names of actions, dates. */
export function recordedFilter(f: AuditConditions, participantId: string | null) {
  return {
    action: f.action ?? null,
    actionGroup: f.actionGroup ?? null,
    actorId: f.actorId ?? null,
    actorRole: f.actorRole ?? null,
    participantId,
    targetType: f.targetType ?? null,
    targetId: f.targetId ?? null,
    from: f.from?.toISOString() ?? null,
    to: f.to?.toISOString() ?? null,
  };
}
