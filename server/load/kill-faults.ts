import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/open-database.js';
import { queryRows } from '../src/db/query-rows.js';
import { generateSyntheticCohort } from '../src/modules/genomics/synth/generate-cohort.js';
import {
  gql,
  runCli,
  signIn,
  spawnCli,
  startServerProcess,
  type ServerProcess,
} from './server-process.js';
import type { Target } from './targets.js';
import { loadPreferences } from './consent-preferences.js';

type Log = (line: string) => void;

/** Runs `query` on the target's database (the server must not hold an embedded one). */
async function withDb<T>(
  target: Target,
  run: (
    q: <R extends Record<string, unknown>>(query: ReturnType<typeof sql>) => Promise<R[]>,
  ) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase(
    target.databaseUrl
      ? { url: target.databaseUrl }
      : { pgliteDir: path.join(target.dataDir, 'pglite') },
  );
  try {
    return await run((query) => queryRows(handle.db, query));
  } finally {
    await handle.close();
  }
}

const num = (v: unknown) => Number(v);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A writer that keeps changing the patient's standing preferences (each change: a new version,
 * an audit event, an outbox row for the chain) until its server dies. Records every version the
 * API acknowledged, so "nothing lost" can be checked against what a client was told.
 */
function consentWriter(server: ServerProcess, token: string, acknowledged: number[]) {
  let stop = false;
  const done = (async () => {
    for (let i = 0; !stop; i += 1) {
      const choice = i % 2 ? 'DENY' : 'PERMIT';
      try {
        const res = await gql<{ setConsentPreferences: { data?: { version: number } } }>(
          server.url,
          `mutation($i: ConsentPreferencesInput!) { setConsentPreferences(input: $i) { ... on MutationSetConsentPreferencesSuccess { data { version } } } }`,
          { i: loadPreferences(choice) },
          token,
        );
        const v = res.data?.setConsentPreferences.data?.version;
        if (v !== undefined) acknowledged.push(v);
      } catch {
        return; // the server is gone
      }
    }
  })();
  return { stop: () => (stop = true), done };
}

/** A researcher creating and submitting studies (each submission asks the whole cohort). */
function studyWriter(server: ServerProcess, token: string, panelId: string, submitted: string[]) {
  let stop = false;
  const done = (async () => {
    while (!stop) {
      try {
        const created = await gql<{ createStudy: { data?: { id: string } } }>(
          server.url,
          `mutation($input: CreateStudyInput!) { createStudy(input: $input) { ... on MutationCreateStudySuccess { data { id } } } }`,
          {
            input: {
              title: 'Load study',
              laySummary: 'A plain summary that participants read before deciding anything at all.',
              purpose: { primary: 'HMB', commercial: false },
              collaborators: [],
              cohortCriteria: { datasets: [panelId], sex: 'female', ageMin: 30, ageMax: 80 },
              datasetIds: [panelId],
            },
          },
          token,
        );
        const id = created.data?.createStudy.data?.id;
        if (!id) continue;
        const res = await gql<{ submitStudy: { __typename: string } }>(
          server.url,
          `mutation($id: ID!) { submitStudy(id: $id) { __typename } }`,
          { id },
          token,
        );
        if (res.data?.submitStudy.__typename === 'MutationSubmitStudySuccess') submitted.push(id);
      } catch {
        return;
      }
    }
  })();
  return { stop: () => (stop = true), done };
}

/**
 * kill -9 of `consentome serve` at a random moment, `rounds` times, while consent writes (relay
 * and audit batches), a VCF ingest and study submissions (the workflow) are under way; then
 * the invariants. The ingest is started with the CLI, which hands it to the running server over
 * its control socket (the server holds the embedded chain on both drivers), so it dies with it.
 */
export async function runKillFaults(
  target: Target,
  rounds: number,
  log: Log,
): Promise<{ ok: boolean }> {
  const synthDir = path.join(target.dataDir, 'synth');
  const truth = await generateSyntheticCohort({
    participants: 300,
    variants: 3_000,
    calls: 60_000,
    seed: 11,
    outDir: synthDir,
    samplesPerFile: 300,
  });
  const vcf = path.join(synthDir, truth.vcfFiles[0]!.file);
  let server = await startServerProcess(target.env);
  const imported = await runCli(
    ['participants', 'import', path.join(synthDir, truth.participantsFile)],
    target.env,
  );
  if (imported.code !== 0) throw new Error(`participants import failed: ${imported.out}`);
  const steward = await signIn(server.url, 'steward@demo.local');
  const sets = await gql<{ datasets: { id: string; name: string }[] }>(
    server.url,
    '{ datasets { id name } }',
    {},
    steward,
  );
  const panelId = sets.data!.datasets.find((d) => d.name === 'Population Reference Panel')!.id;
  const ingestInto = sets.data!.datasets.find((d) => d.id !== panelId)?.id ?? panelId;
  await server.stop();
  const callsIn = () =>
    withDb(target, async (q) =>
      num(
        (
          await q<{ n: string }>(
            sql`select count(*) as n from variant_calls where dataset_id = ${ingestInto}`,
          )
        )[0]!.n,
      ),
    );
  const baseline = await callsIn();

  const acknowledged: number[] = [];
  const submitted: string[] = [];
  let ingested = false;
  let ok = true;
  const check = (what: string, holds: boolean, detail = '') => {
    log(`${holds ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
    if (!holds) ok = false;
  };

  for (let round = 1; round <= rounds; round += 1) {
    server = await startServerProcess(target.env);
    const patient = await signIn(server.url, 'patient@demo.local');
    const researcher = await signIn(server.url, 'researcher@demo.local');
    const consents = consentWriter(server, patient, acknowledged);
    const studies = studyWriter(server, researcher, panelId, submitted);
    const ingest = ingested
      ? null
      : spawnCli(['ingest', 'vcf', vcf, '--dataset', ingestInto], target.env);
    const after = 500 + Math.floor(Math.random() * 7_500);
    await sleep(after);
    await server.kill9();
    ingest?.kill('SIGKILL');
    consents.stop();
    studies.stop();
    await Promise.all([consents.done, studies.done]);
    const calls = (await callsIn()) - baseline;
    check(
      `round ${round}: killed after ${after} ms; ingest all or nothing`,
      calls === 0 || calls === truth.calls,
      `${calls} of ${truth.calls} calls stored`,
    );
    if (calls === truth.calls) ingested = true;
  }

  // Recovery: start again, finish the ingest if it never committed, let the relay drain.
  server = await startServerProcess(target.env);
  if (!ingested) {
    const r = await runCli(['ingest', 'vcf', vcf, '--dataset', ingestInto], target.env);
    check('ingest after the kills completes', r.code === 0, r.out.trim().split('\n').pop());
  }
  const deadline = Date.now() + 120_000;
  let status = '';
  while (Date.now() < deadline) {
    status = (await runCli(['chain', 'status'], target.env)).out;
    if (/Outbox\s+0 pending/.test(status) && /0 audit events not yet anchored/.test(status)) break;
    await sleep(1_000);
  }
  await server.stop();

  // The invariants.
  const verify = await runCli(['audit', 'verify'], target.env);
  check(
    'audit verify passes (hash chain and every anchor on chain)',
    verify.code === 0,
    verify.out.trim().split('\n').slice(-1)[0],
  );
  status = (await runCli(['chain', 'status'], target.env)).out;
  const onChain = Number(status.match(/On chain\s+(\d+) consents/)?.[1] ?? NaN);
  const failedRows = Number(status.match(/(\d+) failed/)?.[1] ?? NaN);
  await withDb(target, async (q) => {
    const outbox = num(
      (
        await q<{ n: string }>(sql`select count(*) as n from chain_outbox where kind = 'consent'`)
      )[0]!.n,
    );
    const pending = num(
      (
        await q<{ n: string }>(
          sql`select count(*) as n from chain_outbox where status <> 'confirmed'`,
        )
      )[0]!.n,
    );
    check(
      'outbox drained, nothing failed',
      pending === 0 && failedRows === 0,
      `${pending} not confirmed`,
    );
    check(
      'chain holds each consent record exactly once',
      onChain === outbox,
      `${onChain} on chain, ${outbox} in the outbox`,
    );
    const versions = new Set(
      (
        await q<{ version: number }>(
          sql`select v.version from consent_preferences v join participants p on p.id = v.participant_id where p.pseudonym = 'P-DEMO0001'`,
        )
      ).map((r) => num(r.version)),
    );
    const lost = acknowledged.filter((v) => !versions.has(v));
    check(
      'every acknowledged consent change is stored',
      lost.length === 0,
      `${acknowledged.length} acknowledged, ${lost.length} missing`,
    );
    const drafts = await q<{ id: string; status: string; requests: string }>(
      sql`select s.id, s.status, count(r.id) as requests from studies s left join consent_requests r on r.study_id = s.id where s.title = 'Load study' group by s.id, s.status`,
    );
    const half = drafts.filter((s) => s.status === 'draft' && num(s.requests) > 0);
    check(
      'no draft study left with consent requests (a submission is all or nothing)',
      half.length === 0,
      `${drafts.length} studies, ${submitted.length} acknowledged as submitted`,
    );
    const notSubmitted = submitted.filter(
      (id) => drafts.find((s) => s.id === id)?.status === 'draft',
    );
    check('every acknowledged submission is stored', notSubmitted.length === 0);
    const twice = num(
      (
        await q<{ n: string }>(
          sql`select count(*) as n from (select study_id, participant_id from consent_requests group by study_id, participant_id having count(*) > 1) d`,
        )
      )[0]!.n,
    );
    check('nobody asked twice by one study', twice === 0);
  });
  const calls = (await callsIn()) - baseline;
  check(
    'the VCF is stored exactly once',
    calls === truth.calls,
    `${calls} of ${truth.calls} calls`,
  );
  fs.rmSync(synthDir, { recursive: true, force: true });
  return { ok };
}
