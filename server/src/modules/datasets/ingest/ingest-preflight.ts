import { eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../../db/database.js';
import { pipelined } from '../../../db/pipelined.js';
import { ConflictError, NotFoundError } from '../../../errors/app-errors.js';
import { parseInput } from '../../../errors/parse-input.js';
import { idSchema } from '../../../lib/validators.js';
import type { Actor } from '../../actors/actor.js';
import { appendAuditEvent } from '../../audit/audit.service.js';
import { recordCohortChange } from '../../cohort-changes/cohort-changes.js';
import { datasets } from '../datasets.tables.js';
import { fileSha256 } from './file-digest.js';
import { assertCanIngest } from './ingest.policy.js';
import type { IngestKind } from './ingest-jobs.js';
import { ingests } from './ingest.tables.js';

/** What every ingest checks before it reads a record: dataset, policy, and not ingested before. */
export interface IngestPreflight {
  datasetId: string;
  fileSha256: string;
  fileName: string;
  startedAt: Date;
}

/**
 * The checks every ingest makes first: the dataset exists, the caller stewards it, and this file
 * (by SHA-256) has not been ingested into it before (a second ingest is refused, never doubled).
 */
export async function ingestPreflight(
  db: Database,
  actor: Actor | null,
  input: { datasetId: unknown; path: string; fileName?: string },
  kind: IngestKind,
): Promise<IngestPreflight> {
  const startedAt = new Date();
  const datasetId = parseInput(idSchema, input.datasetId);
  const [dataset] = await db.select().from(datasets).where(eq(datasets.id, datasetId));
  if (!dataset) throw new NotFoundError('Dataset');
  assertCanIngest(actor, dataset);
  const fileSha = await fileSha256(input.path);
  const [already] = await db
    .select({ at: ingests.finishedAt })
    .from(ingests)
    .where(
      sql`${ingests.datasetId} = ${datasetId} and ${ingests.kind} = ${kind} and ${ingests.fileSha256} = ${fileSha}`,
    );
  if (already)
    throw new ConflictError(
      `This file was already ingested into this dataset (${already.at.toISOString()})`,
    );
  return {
    datasetId,
    fileSha256: fileSha,
    fileName: input.fileName ?? input.path.split('/').pop()!,
    startedAt,
  };
}

/**
 * The last step of every ingest, inside its transaction: the ingest record (which makes a second
 * ingest of the file a conflict), the note for the cohort index, and the audit event.
 */
export async function recordIngest(
  tx: Tx,
  actor: Actor | null,
  pre: IngestPreflight,
  ingest: {
    id: string;
    kind: IngestKind;
    report: Record<string, unknown>;
    summary: Record<string, unknown>;
  },
): Promise<void> {
  // Independent statements, sent together: one round trip on a server.
  await pipelined([
    () =>
      tx.insert(ingests).values({
        id: ingest.id,
        datasetId: pre.datasetId,
        kind: ingest.kind,
        fileName: pre.fileName,
        fileSha256: pre.fileSha256,
        report: ingest.report,
        startedBy: actor?.kind === 'user' ? actor.userId : null,
        startedAt: pre.startedAt,
      }),
    () => recordCohortChange(tx, 'ingest', ingest.id),
    () =>
      appendAuditEvent(tx, actor, {
        action: 'dataset.ingest',
        targetType: 'dataset',
        targetId: pre.datasetId,
        payload: {
          ingestId: ingest.id,
          kind: ingest.kind,
          fileSha256: pre.fileSha256,
          ...ingest.summary,
        },
      }),
  ]);
}
