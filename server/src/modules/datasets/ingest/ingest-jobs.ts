import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../errors/app-errors.js';
import type { Logger } from '../../../lib/logger.js';
import type { UserActor } from '../../actors/actor.js';

/** What kind of file an ingest job reads. */
export type IngestKind = 'vcf' | 'phenotypes' | 'phenopackets';

/** An ingest running (or finished) in this API instance, as the portal polls it. */
export interface IngestJob {
  id: string;
  datasetId: string;
  kind: IngestKind;
  fileName: string;
  status: 'running' | 'completed' | 'failed';
  percent: number | null;
  records: number;
  calls: number;
  callsPerSecond: number;
  report: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Progress a running job reports. */
export interface JobProgress {
  percent?: number;
  records: number;
  calls: number;
  callsPerSecond: number;
}

const KEEP_MS = 24 * 3600_000;

/**
 * Makes `root` a private directory (0700) and removes what a crashed process left in it: each
 * process keeps its uploads in `<pid>-…` below it, and a directory whose process is gone is
 * deleted. Directories of live processes (another API instance sharing DATA_DIR) stay.
 */
export function preparePrivateUploadRoot(root: string): void {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  fs.chmodSync(root, 0o700);
  for (const entry of fs.readdirSync(root)) {
    const pid = Number(entry.split('-')[0]);
    if (pid !== process.pid && isAlive(pid)) continue;
    fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Ingest jobs started from the portal: the upload is written to a private directory (0700,
 * files 0600; `DATA_DIR/uploads` in the server), the ingest runs in the background, and the
 * portal polls progress and the report. Jobs live in this instance's memory for a day; the
 * completed ingest itself is in the database.
 */
export class IngestJobs {
  private readonly jobs = new Map<string, IngestJob>();
  private readonly uploadRoot: string;

  /** `uploadRoot` defaults to a fresh private directory under the system temporary directory. */
  constructor(
    private readonly log?: Logger,
    uploadRoot?: string,
  ) {
    this.uploadRoot = uploadRoot ?? fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-uploads-'));
    preparePrivateUploadRoot(this.uploadRoot);
  }

  /** A job, if `actor` started it (or is an admin). */
  get(id: string, actor: UserActor): IngestJob | null {
    const job = this.jobs.get(id);
    if (!job || (job.startedBy !== actor.userId && actor.role !== 'admin')) return null;
    return job;
  }

  /** Recent jobs of a dataset visible to `actor`, newest first. */
  list(datasetId: string, actor: UserActor): IngestJob[] {
    return [...this.jobs.values()]
      .filter(
        (j) =>
          j.datasetId === datasetId && (j.startedBy === actor.userId || actor.role === 'admin'),
      )
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  }

  /**
   * Saves the uploaded files and starts `run` in the background. `run` receives the saved paths
   * and a progress callback and resolves to the report.
   */
  async start(
    actor: UserActor,
    meta: { datasetId: string; kind: IngestKind; file: File; sampleMap?: File | null },
    run: (
      paths: { file: string; sampleMap: string | null },
      progress: (p: JobProgress) => void,
    ) => Promise<Record<string, unknown>>,
  ): Promise<IngestJob> {
    this.prune();
    const dir = fs.mkdtempSync(path.join(this.uploadRoot, `${process.pid}-`));
    fs.chmodSync(dir, 0o700);
    const save = async (f: File, name: string) => {
      const target = path.join(dir, name);
      await fs.promises.writeFile(target, Buffer.from(await f.arrayBuffer()), { mode: 0o600 });
      return target;
    };
    const safeName = meta.file.name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-120) || 'upload';
    const filePath = await save(meta.file, safeName);
    const sampleMapPath = meta.sampleMap ? await save(meta.sampleMap, 'sample-map.tsv') : null;
    const job: IngestJob = {
      id: randomUUID(),
      datasetId: meta.datasetId,
      kind: meta.kind,
      fileName: meta.file.name.slice(0, 200),
      status: 'running',
      percent: 0,
      records: 0,
      calls: 0,
      callsPerSecond: 0,
      report: null,
      error: null,
      startedBy: actor.userId,
      startedAt: new Date(),
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    void run({ file: filePath, sampleMap: sampleMapPath }, (p) => {
      job.percent = p.percent ?? null;
      job.records = p.records;
      job.calls = p.calls;
      job.callsPerSecond = Math.round(p.callsPerSecond);
    })
      .then((report) => {
        job.status = 'completed';
        job.percent = 100;
        job.report = report;
      })
      .catch((error: unknown) => {
        job.status = 'failed';
        job.error =
          error instanceof AppError
            ? { code: error.code, message: error.message }
            : { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.' };
        // Ids and counts only: the message of a refused file may quote its content.
        const fields = {
          jobId: job.id,
          datasetId: job.datasetId,
          kind: job.kind,
          records: job.records,
          calls: job.calls,
          code: job.error.code,
        };
        if (error instanceof AppError) this.log?.warn('ingest job refused the file', fields);
        else this.log?.error('ingest job failed', { ...fields, stack: (error as Error).stack });
      })
      .finally(() => {
        job.finishedAt = new Date();
        fs.rmSync(dir, { recursive: true, force: true });
      });
    return job;
  }

  private prune(): void {
    const cutoff = Date.now() - KEEP_MS;
    for (const [id, job] of this.jobs)
      if (job.finishedAt && job.finishedAt.getTime() < cutoff) this.jobs.delete(id);
  }
}
