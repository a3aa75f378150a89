import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ConflictError, ForbiddenError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { activeDacMemberIds, dacById, governingDacs } from '../dacs/dac-reads.js';
import {
  DataUseChangeVerdictInput,
  dataUseChangeForUpdate,
  decideDataUseChange,
  type DataUseChangeRow,
} from '../datasets/data-use-changes.service.js';
import { boardDecision } from './review-rules.js';
import { assertCanVote } from './review.policy.js';
import { dataUseChangeVotes } from './review.tables.js';

/**
 * A member of the committee governing a dataset votes on a pending widening of its data use.
 * The committee decides it as it decides requests: once its quorum (capped at its active
 * members) is in, the chair's vote decides when the committee has one, else the majority, a tie
 * rejecting. Only the votes of that committee's current members count: a member of another
 * committee, or an ethics board member on none, is refused and nothing is written. A dataset no
 * committee governs cannot be widened until an admin assigns it one.
 */
export async function voteOnDataUseChange(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<DataUseChangeRow> {
  const data = parseInput(DataUseChangeVerdictInput, input);
  assertCanVote(actor);
  const change = await dataUseChangeForUpdate(tx, data.changeId);
  const dacId = (await governingDacs(tx, [change.datasetId])).get(change.datasetId);
  if (!dacId)
    throw new ConflictError(
      'No committee governs this dataset: an administrator must assign it one before its data use can be widened',
    );
  const eligible = await activeDacMemberIds(tx, dacId);
  if (!eligible.includes(actor.userId))
    throw new ForbiddenError(
      'Only the members of the committee governing this dataset decide on widening its data use',
    );
  if (change.status !== 'pending')
    throw new ConflictError(`The change is already ${change.status}`);
  const [already] = await tx
    .select({ memberId: dataUseChangeVotes.memberId })
    .from(dataUseChangeVotes)
    .where(
      and(
        eq(dataUseChangeVotes.changeId, change.id),
        eq(dataUseChangeVotes.memberId, actor.userId),
      ),
    );
  if (already) throw new ConflictError('You have already voted on this change');
  const vote = data.approve ? 'approve' : 'reject';
  await tx
    .insert(dataUseChangeVotes)
    .values({ changeId: change.id, dacId, memberId: actor.userId, vote });
  await appendAuditEvent(tx, actor, {
    action: 'dataset.data_use.vote',
    targetType: 'dataset',
    targetId: change.datasetId,
    payload: { changeId: change.id, dac: dacId, vote },
  });
  const votes = (
    await tx
      .select()
      .from(dataUseChangeVotes)
      .where(and(eq(dataUseChangeVotes.changeId, change.id), eq(dataUseChangeVotes.dacId, dacId)))
  ).filter((v) => eligible.includes(v.memberId));
  const dac = await dacById(tx, dacId);
  const decision = boardDecision(
    votes.map((v) => ({ memberId: v.memberId, vote: v.vote as 'approve' | 'reject' })),
    {
      quorum: Math.min(dac.quorum, Math.max(1, eligible.length)),
      chairId: dac.chairId && eligible.includes(dac.chairId) ? dac.chairId : null,
    },
  );
  if (!decision) return change;
  return decideDataUseChange(tx, actor, {
    changeId: change.id,
    approve: decision === 'approved',
    note: data.note,
  });
}
