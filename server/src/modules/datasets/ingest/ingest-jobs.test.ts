import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../errors/app-errors.js';
import { capturingLogger } from '../../../test/capturing-logger.js';
import type { UserActor } from '../../actors/actor.js';
import { IngestJobs, preparePrivateUploadRoot } from './ingest-jobs.js';

const steward: UserActor = { kind: 'user', userId: 'u-1', role: 'steward', sessionId: null };
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-jobs-test-'));

async function until(check: () => boolean): Promise<void> {
  // Generous (20 s): CI runs this beside other suites on two cores; a healthy job ends in ms.
  for (let i = 0; i < 2_000 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
}

describe('where uploads wait for their ingest', () => {
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('the upload directory is private and a crashed process leaves nothing in it', () => {
    const root = path.join(base, 'uploads');
    fs.mkdirSync(path.join(root, '999999999-crashed'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(root, '999999999-crashed', 'upload.vcf'), 'P-SECRET', {
      mode: 0o644,
    });
    fs.mkdirSync(path.join(root, `${process.ppid}-live`));
    fs.chmodSync(root, 0o755);
    preparePrivateUploadRoot(root);
    expect(mode(root)).toBe(0o700);
    expect(fs.readdirSync(root)).toEqual([`${process.ppid}-live`]);
  });

  it('files are written 0600 in a 0700 directory, removed afterwards, and a refused file is logged by id and count only', async () => {
    const root = path.join(base, 'jobs');
    const { log, lines } = capturingLogger();
    const jobs = new IngestJobs(log, root);
    let seen: { dir: number; file: number } | null = null;
    let saved = '';
    const job = await jobs.start(
      steward,
      {
        datasetId: 'd-1',
        kind: 'vcf',
        file: new File(['P-PERSONAL-DATA\n'], 'upload.vcf'),
      },
      async (paths) => {
        saved = paths.file;
        seen = { dir: mode(path.dirname(paths.file)), file: mode(paths.file) };
        throw new ValidationError('line 1: sample "P-PERSONAL-DATA" is unknown');
      },
    );
    await until(() => job.status !== 'running' && !fs.existsSync(path.dirname(saved)));
    expect(seen).toEqual({ dir: 0o700, file: 0o600 });
    expect(path.dirname(path.dirname(saved))).toBe(root);
    expect(fs.existsSync(path.dirname(saved))).toBe(false);
    expect(job.status).toBe('failed');
    const logged = lines.find((l) => l.message.includes('ingest'));
    expect(logged).toMatchObject({
      level: 'warn',
      fields: { jobId: job.id, datasetId: 'd-1', code: 'VALIDATION', records: 0 },
    });
    expect(JSON.stringify(lines)).not.toContain('P-PERSONAL-DATA');
  });
});
