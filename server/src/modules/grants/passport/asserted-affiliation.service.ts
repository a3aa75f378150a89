import { z } from 'zod';
import type { Tx } from '../../../db/database.js';
import { ForbiddenError, NotFoundError } from '../../../errors/app-errors.js';
import { parseInput } from '../../../errors/parse-input.js';
import { idSchema } from '../../../lib/validators.js';
import { findUser } from '../../accounts/accounts.service.js';
import { hasRole, type Actor } from '../../actors/actor.js';
import { appendAuditEvent } from '../../audit/audit.service.js';
import { affiliationAndRoleProblem } from './visa-claims.js';
import { assertedAffiliations } from './asserted-affiliations.tables.js';

const AssertAffiliationInput = z.object({
  userId: idSchema,
  value: z
    .string()
    .trim()
    .toLowerCase()
    .max(255)
    .superRefine((value, ctx) => {
      const problem = affiliationAndRoleProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
});

/**
 * An administrator asserts a researcher's affiliation (`role@domain`) for an account no
 * institution vouches for: the passport's AffiliationAndRole visa then says `by: system` with
 * us as its source. Replaces an earlier assertion; audited.
 */
export async function assertAffiliation(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<string> {
  if (!hasRole(actor, 'admin')) throw new ForbiddenError();
  const data = parseInput(AssertAffiliationInput, input);
  const user = await findUser(tx, data.userId);
  if (!user) throw new NotFoundError('User');
  await tx
    .insert(assertedAffiliations)
    .values({ userId: user.id, value: data.value, assertedBy: actor.userId })
    .onConflictDoUpdate({
      target: assertedAffiliations.userId,
      set: { value: data.value, assertedBy: actor.userId, assertedAt: new Date() },
    });
  await appendAuditEvent(tx, actor, {
    action: 'user.affiliation.assert',
    targetType: 'user',
    targetId: user.id,
    payload: { value: data.value },
  });
  return data.value;
}
