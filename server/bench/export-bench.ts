/**
 * Export of a whole cohort as a VCF: before (issue #19 item 5: dense text built in memory and
 * stored in the database row) and after (BGZF + tabix index streamed into the file store).
 * Prints wall time, the process's peak RSS and the bytes stored. Not a test: figures go to
 * BENCHMARKS.md. Run each phase in its own process so peak RSS is that phase's alone:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export \
 *     npm run bench:export -- --phase setup  --participants 10000 --variants 3000 --calls 200000
 *   DATABASE_URL=… npm run bench:export -- --phase before
 *   DATABASE_URL=… npm run bench:export -- --phase after
 *
 * `setup` migrates the (empty) database and ingests a synthetic cohort through the real import
 * and VCF paths; the export phases export every participant of it (consent is not what is
 * measured: both phases get the same sample list, which `createExport` would hand them).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { migrateDatabase } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { LocalFileStore } from '../src/lib/file-store.js';
import { systemActor } from '../src/modules/actors/actor.js';
import { insertUser } from '../src/modules/accounts/accounts.service.js';
import { writeExportVcf } from '../src/modules/grants/exports/export-vcf.js';
import { ensureShippedOntologies } from '../src/modules/ontology/ontology-import.service.js';
import { exportVcf as exportVcfBefore } from './export-vcf-before.js';
import { cohortSizeOf, syntheticBenchPanel } from './synthetic-panel.js';

const { values: opts } = parseArgs({
  options: {
    phase: { type: 'string', default: 'after' },
    participants: { type: 'string', default: '10000' },
    variants: { type: 'string', default: '3000' },
    calls: { type: 'string', default: '200000' },
    /** Write a CPU profile of the export alone (not start-up) into this directory. */
    'cpu-prof': { type: 'string' },
    /**
     * Run under `node --expose-gc`: a full collection every this many ms during the export, and
     * the largest live memory (heap used + external) seen after one. Peak RSS also counts the
     * garbage V8 has not collected yet; this is what the export keeps.
     */
    'live-every': { type: 'string' },
  },
});

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to an empty PostgreSQL database for the benchmark');
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const peakRssMib = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

/** Live bytes after a full collection: heap used plus memory outside the heap (buffers). */
function liveBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('--live-every needs node --expose-gc');
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Samples live memory every `everyMs` until stopped; answers the start and the largest seen. */
function watchLiveMemory(everyMs: number) {
  const before = liveBytes();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, liveBytes())), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, liveBytes());
      return `live memory ${mib(before)} MiB before, ${mib(peak)} MiB at most during the export (+${mib(peak - before)} MiB)`;
    },
  };
}

async function setup(handle: Awaited<ReturnType<typeof openDatabase>>) {
  await migrateDatabase(handle);
  const { db } = handle;
  const system = systemActor('bench');
  await ensureShippedOntologies(db, system);
  const steward = await db.transaction((tx) =>
    insertUser(tx, {
      email: 's@bench.local',
      password: 'bench password 1',
      displayName: 'Steward',
      role: 'steward',
      institution: null,
    }),
  );
  const t = Date.now();
  await syntheticBenchPanel(db, system, {
    stewardId: steward.id,
    description: 'Synthetic panel for the export benchmark.',
    size: cohortSizeOf(opts),
  });
  console.log(`setup: ${opts.participants} participants, ${Date.now() - t} ms`);
}

/** Starts V8's sampling profiler (through the inspector), so start-up is left out of the profile. */
async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfile(session: Session, dir: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `export-${opts.phase}-${Date.now()}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  console.log(`CPU profile: ${file}`);
}

async function main() {
  const handle = await openDatabase({ url: url!, prepare: true });
  try {
    if (opts.phase === 'setup') return await setup(handle);
    const { db } = handle;
    const [dataset] = await queryRows<{ id: string }>(db, sql`select id from datasets limit 1`);
    const members = await queryRows<{ num: number }>(
      db,
      sql`select p.num from samples s join participants p on p.id = s.participant_id
          where s.dataset_id = ${dataset!.id} order by p.num`,
    );
    const samples = members.map((m, i) => ({ num: m.num, sampleId: `S${i}` }));
    const input = {
      exportId: '00000000-0000-4000-8000-000000000000',
      grantId: '00000000-0000-4000-8000-000000000001',
      datasetIds: [dataset!.id],
      samples,
    };
    const rssBefore = peakRssMib();
    const profiler = opts['cpu-prof'] ? await startProfile() : null;
    const live = opts['live-every'] ? watchLiveMemory(Number(opts['live-every'])) : null;
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    let stored: number;
    let variants: number;
    if (opts.phase === 'before') {
      // As createExport did: build the text, hash it, store it in a row (a scratch table here).
      stored = await db.transaction(async (tx) => {
        const vcf = await exportVcfBefore(tx, input);
        createHash('sha256').update(vcf.text, 'utf8').digest('hex');
        await tx.execute(sql`create temporary table bench_vcf (vcf text) on commit drop`);
        await tx.execute(sql`insert into bench_vcf values (${vcf.text})`);
        variants = vcf.variantCount;
        return Buffer.byteLength(vcf.text, 'utf8');
      });
    } else {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-export-bench-files-'));
      const store = new LocalFileStore(root);
      const vcf = await store.create('export.vcf.gz');
      const index = await store.create('export.vcf.gz.tbi');
      const written = await db.transaction((tx) =>
        writeExportVcf(tx, input, vcf.stream, index.stream),
      );
      await vcf.commit();
      await index.commit();
      variants = written.variantCount;
      stored = written.vcf.bytes + written.index.bytes;
      console.log(
        `vcf.gz ${written.vcf.bytes} B (sha256 ${written.vcf.sha256.slice(0, 16)}…), ` +
          `.tbi ${written.index.bytes} B (sha256 ${written.index.sha256.slice(0, 16)}…)`,
      );
      fs.rmSync(root, { recursive: true, force: true });
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    if (live) console.log(live.stop());
    if (profiler) await stopProfile(profiler, opts['cpu-prof']!);
    console.log(
      `${opts.phase}: ${samples.length} samples × ${variants!} variants in ${ms.toFixed(0)} ms, ` +
        `stored ${mib(stored)} MiB (${stored} B), peak RSS ${peakRssMib()} MiB (${rssBefore} MiB before the export), ` +
        `CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (all threads of this process)`,
    );
  } finally {
    await handle.close();
  }
}

await main();
