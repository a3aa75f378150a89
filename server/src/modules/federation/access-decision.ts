import { z } from 'zod';
import { ConflictError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { idSchema } from '../../lib/validators.js';

const AccessDecisionInput = z.strictObject({
  id: idSchema,
  approve: z.boolean(),
  note: z.string().trim().max(2_000).nullish(),
});

/** A committee's decision on an access request that crosses the network. */
export type AccessDecision = z.infer<typeof AccessDecisionInput>;

/**
 * Reads a committee's decision on a cross-network access request, ours to a holder
 * (remote-access.service.ts) or another member's to us (network-access-requests.service.ts):
 * approve, or refuse, and a refusal must say why (a note). Bad input throws before anything is
 * read or written.
 */
export function parseAccessDecision(input: unknown): AccessDecision {
  const data = parseInput(AccessDecisionInput, input);
  if (!data.approve && !data.note)
    throw new ConflictError('Say why the request is refused (a note)');
  return data;
}

/**
 * The columns a decision sets on the request it decides (the two request tables share them):
 * approved or refused, by whom, when, and the note.
 */
export function decisionColumns(decision: AccessDecision, deciderId: string, decidedAt: Date) {
  return {
    status: decision.approve ? ('approved' as const) : ('refused' as const),
    decidedBy: deciderId,
    decidedAt,
    decisionNote: decision.note ?? null,
  };
}
