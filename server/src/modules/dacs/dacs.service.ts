import { randomUUID } from 'node:crypto';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { ConsentRequestTiming } from '../../config.js';
import type { Tx } from '../../db/database.js';
import { ConflictError, ValidationError } from '../../errors/app-errors.js';
import { parseInput } from '../../errors/parse-input.js';
import { users } from '../accounts/accounts.tables.js';
import type { Actor } from '../actors/actor.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { datasets } from '../datasets/datasets.tables.js';
import {
  CreateDacSchema,
  DacChairSchema,
  DacDatasetsSchema,
  DacMemberSchema,
  DacRulesSchema,
  RenameDacSchema,
} from './dac-input.js';
import { dacById, dacDatasetIds, dacMemberIds, type DacRow } from './dac-reads.js';
import { assertCanManageDacs } from './dacs.policy.js';
import { dacDatasets, dacMembers, dacs } from './dacs.tables.js';

/** Refuses ids that are not active ethics board accounts: only the board sits on a committee. */
async function assertBoardMembers(tx: Tx, field: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await tx
    .select({ id: users.id, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(inArray(users.id, [...ids]));
  const ok = new Set(
    rows.filter((u) => u.role === 'ethics_board' && !u.disabledAt).map((u) => u.id),
  );
  const bad = ids.filter((id) => !ok.has(id));
  if (bad.length)
    throw new ValidationError('Only active ethics board members can sit on a committee', [
      { field, message: `not an active ethics board member: ${bad.join(', ')}` },
    ]);
}

/** Refuses dataset ids that do not exist. */
async function assertDatasetsExist(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await tx
    .select({ id: datasets.id })
    .from(datasets)
    .where(inArray(datasets.id, [...ids]));
  const found = new Set(rows.map((r) => r.id));
  const bad = ids.filter((id) => !found.has(id));
  if (bad.length)
    throw new ValidationError('Unknown datasets', [
      { field: 'datasetIds', message: `no such dataset: ${bad.join(', ')}` },
    ]);
}

function chairNotMember(): ValidationError {
  return new ValidationError('The chair must be a member of the committee', [
    { field: 'chairId', message: 'must be a member of the committee' },
  ]);
}

async function assertNameFree(tx: Tx, name: string, except?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: dacs.id })
    .from(dacs)
    .where(except ? and(eq(dacs.name, name), ne(dacs.id, except)) : eq(dacs.name, name));
  if (taken) throw new ConflictError(`A committee named “${name}” already exists`);
}

async function audit(
  tx: Tx,
  actor: Actor,
  action: AuditAction,
  dacId: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(tx, actor, { action, targetType: 'dac', targetId: dacId, payload });
}

/** Moves the given datasets under a committee (from whichever governed them before). */
async function governDatasets(tx: Tx, dacId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.delete(dacDatasets).where(inArray(dacDatasets.datasetId, [...ids]));
  await tx.insert(dacDatasets).values(ids.map((datasetId) => ({ datasetId, dacId })));
}

/**
 * An admin creates a committee, optionally with its members, chair and datasets at once (the
 * chair must be among the members; datasets governed elsewhere move to it).
 */
export async function createDac(tx: Tx, actor: Actor | null, input: unknown): Promise<DacRow> {
  assertCanManageDacs(actor);
  const data = parseInput(CreateDacSchema, input);
  const memberIds = [...new Set(data.memberIds)];
  const datasetIds = [...new Set(data.datasetIds)];
  await assertBoardMembers(tx, 'memberIds', memberIds);
  if (data.chairId && !memberIds.includes(data.chairId)) throw chairNotMember();
  await assertDatasetsExist(tx, datasetIds);
  await assertNameFree(tx, data.name);
  const [dac] = await tx
    .insert(dacs)
    .values({
      id: randomUUID(),
      name: data.name,
      quorum: data.quorum,
      voteDays: data.voteDays,
      chairId: data.chairId ?? null,
    })
    .returning();
  if (memberIds.length)
    await tx.insert(dacMembers).values(memberIds.map((userId) => ({ dacId: dac!.id, userId })));
  await governDatasets(tx, dac!.id, datasetIds);
  await audit(tx, actor, 'dac.create', dac!.id, {
    quorum: data.quorum,
    voteDays: data.voteDays,
    members: memberIds,
    chair: data.chairId ?? null,
    datasets: datasetIds,
  });
  return dac!;
}

/** An admin renames a committee. */
export async function renameDac(tx: Tx, actor: Actor | null, input: unknown): Promise<DacRow> {
  assertCanManageDacs(actor);
  const data = parseInput(RenameDacSchema, input);
  const dac = await dacById(tx, data.dacId, true);
  await assertNameFree(tx, data.name, dac.id);
  const [renamed] = await tx
    .update(dacs)
    .set({ name: data.name, updatedAt: new Date() })
    .where(eq(dacs.id, dac.id))
    .returning();
  await audit(tx, actor, 'dac.rename', dac.id, {});
  return renamed!;
}

/** An admin adds an ethics board member to a committee. */
export async function addDacMember(tx: Tx, actor: Actor | null, input: unknown): Promise<DacRow> {
  assertCanManageDacs(actor);
  const data = parseInput(DacMemberSchema, input);
  const dac = await dacById(tx, data.dacId, true);
  await assertBoardMembers(tx, 'userId', [data.userId]);
  if ((await dacMemberIds(tx, dac.id)).includes(data.userId))
    throw new ConflictError('Already a member of this committee');
  await tx.insert(dacMembers).values({ dacId: dac.id, userId: data.userId });
  await audit(tx, actor, 'dac.member.add', dac.id, { member: data.userId });
  return dac;
}

/**
 * An admin removes a member. The chair cannot leave while chairing: choose another chair (or
 * none) first, so a committee never has a chair outside it. Votes already cast stay counted.
 */
export async function removeDacMember(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<DacRow> {
  assertCanManageDacs(actor);
  const data = parseInput(DacMemberSchema, input);
  const dac = await dacById(tx, data.dacId, true);
  if (!(await dacMemberIds(tx, dac.id)).includes(data.userId))
    throw new ValidationError('Not a member of this committee', [
      { field: 'userId', message: 'not a member of this committee' },
    ]);
  if (dac.chairId === data.userId)
    throw new ConflictError('The chair cannot leave the committee: choose another chair first');
  await tx
    .delete(dacMembers)
    .where(and(eq(dacMembers.dacId, dac.id), eq(dacMembers.userId, data.userId)));
  await audit(tx, actor, 'dac.member.remove', dac.id, { member: data.userId });
  return dac;
}

/** An admin names the chair (a member) or clears it (the majority decides). */
export async function setDacChair(tx: Tx, actor: Actor | null, input: unknown): Promise<DacRow> {
  assertCanManageDacs(actor);
  const data = parseInput(DacChairSchema, input);
  const dac = await dacById(tx, data.dacId, true);
  if (data.chairId && !(await dacMemberIds(tx, dac.id)).includes(data.chairId))
    throw chairNotMember();
  const [updated] = await tx
    .update(dacs)
    .set({ chairId: data.chairId, updatedAt: new Date() })
    .where(eq(dacs.id, dac.id))
    .returning();
  await audit(tx, actor, 'dac.chair.set', dac.id, { from: dac.chairId, to: data.chairId });
  return updated!;
}

/**
 * When participants are asked about a request over `datasetIds`: before the decision if any
 * committee governing one of them asks before (its own setting, or the server's `fallback` when
 * it has none), else after approval. The earliest wins, so a committee that wants the response
 * rate has it whichever other committees share the request.
 */
export async function askingTimeOf(
  tx: Tx,
  datasetIds: readonly string[],
  fallback: ConsentRequestTiming,
): Promise<ConsentRequestTiming> {
  if (datasetIds.length === 0) return fallback;
  const rows = await tx
    .select({ ask: dacs.askParticipants })
    .from(dacDatasets)
    .innerJoin(dacs, eq(dacs.id, dacDatasets.dacId))
    .where(inArray(dacDatasets.datasetId, [...datasetIds]));
  return rows.some((r) => (r.ask ?? fallback) === 'before_decision')
    ? 'before_decision'
    : 'after_approval';
}

/**
 * An admin sets the quorum, the voting period, when participants are asked and what an
 * overdue election allows. They apply to decisions taken from now on,
 * open elections included; deadlines already set stay as they were announced.
 */
export async function setDacRules(tx: Tx, actor: Actor | null, input: unknown): Promise<DacRow> {
  assertCanManageDacs(actor);
  const data = parseInput(DacRulesSchema, input);
  const dac = await dacById(tx, data.dacId, true);
  const [updated] = await tx
    .update(dacs)
    .set({
      quorum: data.quorum ?? dac.quorum,
      voteDays: data.voteDays ?? dac.voteDays,
      askParticipants:
        data.askParticipants === undefined ? dac.askParticipants : data.askParticipants,
      overdueRule: data.overdueRule ?? dac.overdueRule,
      updatedAt: new Date(),
    })
    .where(eq(dacs.id, dac.id))
    .returning();
  await audit(tx, actor, 'dac.rules.set', dac.id, {
    quorum: { from: dac.quorum, to: updated!.quorum },
    voteDays: { from: dac.voteDays, to: updated!.voteDays },
    askParticipants: { from: dac.askParticipants, to: updated!.askParticipants },
    overdueRule: { from: dac.overdueRule, to: updated!.overdueRule },
  });
  return updated!;
}

/**
 * An admin sets the datasets a committee governs, all of them: the listed ones move to it (from
 * any other committee), the ones no longer listed are governed by none until assigned again.
 * Open elections keep the datasets they were opened over.
 */
export async function assignDacDatasets(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<DacRow> {
  assertCanManageDacs(actor);
  const data = parseInput(DacDatasetsSchema, input);
  const dac = await dacById(tx, data.dacId, true);
  const wanted = [...new Set(data.datasetIds)];
  await assertDatasetsExist(tx, wanted);
  const before = await dacDatasetIds(tx, dac.id);
  await tx.delete(dacDatasets).where(eq(dacDatasets.dacId, dac.id));
  await governDatasets(tx, dac.id, wanted);
  await audit(tx, actor, 'dac.datasets.assign', dac.id, {
    added: wanted.filter((d) => !before.includes(d)),
    released: before.filter((d) => !wanted.includes(d)),
  });
  return dac;
}
