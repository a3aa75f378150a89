import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HeadResponse } from '@consentome/contracts-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  graphqlCall,
  loginOverHttp,
  startApiProcess,
  type ApiProcess,
} from '../../test/api-process.js';
import { resetOwnLocalnet, startOwnLocalnet, type OwnLocalnet } from '../../test/own-localnet.js';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { wasmdSmartQuery } from '../../test/wasmd-cli.js';
import { DEMO_PASSWORD } from '../demo/demo-accounts.js';

interface StatusView {
  kind: string | null;
  height: number | null;
  pending: number;
  failed: number;
  confirmed: number;
  chainError: string | null;
  relayError: string | null;
}

const STATUS = `{ chainStatus { kind height pending failed confirmed chainError relayError } }`;

/**
 * The API with a wasmd node of its own (its own localnet, so the test may stop and wipe it):
 * started while the node is down, then the node comes back, then the node is restarted from a
 * wiped home.
 */
describe(`the API when its wasmd node is down or reset (${TEST_DRIVER})`, () => {
  let home: string;
  let net: OwnLocalnet | undefined;
  let api: ApiProcess | undefined;
  let pgServer: TestDatabase | undefined;
  let env: Record<string, string>;
  let admin: string;
  let patient: string;

  const status = async () =>
    (await graphqlCall<{ chainStatus: StatusView }>(api!.url, STATUS, {}, admin)).chainStatus;

  async function waitFor(what: string, ok: (s: StatusView) => boolean): Promise<StatusView> {
    let last: StatusView | undefined;
    for (let i = 0; i < 720; i += 1) {
      last = await status();
      if (ok(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: ${JSON.stringify(last)}\n${api!.output()}`);
  }

  async function changeConsent(hmb: 'PERMIT' | 'DENY'): Promise<void> {
    const res = await graphqlCall<{ setConsentPreferences: { __typename: string } }>(
      api!.url,
      `mutation($input: ConsentPreferencesInput!) { setConsentPreferences(input: $input) { __typename } }`,
      {
        input: {
          purposes: {
            gru: 'ASK',
            hmb,
            ds: 'PERMIT',
            poa: 'DENY',
            methods: 'ASK',
            commercial: 'DENY',
          },
          askEachTime: false,
          discoverable: true,
          recontact: true,
        },
      },
      patient,
    );
    expect(res.setConsentPreferences.__typename).toMatch(/Success/);
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'consentome-own-localnet-'));
    net = await startOwnLocalnet(home);
    const chainEnv = Object.fromEntries(
      Object.entries(net.env).filter(([k]) => /^CHAIN_|^CONSENT_CONTRACT_ADDRESS$/.test(k)),
    );
    env = { ...chainEnv, DATA_DIR: path.join(home, 'api'), DEMO_SEED: 'true' };
    if (TEST_DRIVER === 'postgres') {
      pgServer = await createTestDatabase();
      env.DATABASE_URL = pgServer.url!;
    }
    await net.stop();
  });
  afterAll(async () => {
    await api?.stop('SIGKILL');
    await net?.stop();
    await pgServer?.dispose();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('starts while wasmd is down, queues, says why, and drains in order when wasmd is back', async () => {
    api = await startApiProcess(env);
    admin = await loginOverHttp(api.url, 'admin@demo.local', DEMO_PASSWORD);
    patient = await loginOverHttp(api.url, 'patient@demo.local', DEMO_PASSWORD);
    await changeConsent('DENY');
    const down = await waitFor(
      'the relay should report the node down',
      (s) => s.relayError !== null,
    );
    expect(down.chainError).toMatch(/did not answer: cannot connect to http:\/\/127\.0\.0\.1:\d+/);
    expect(down.relayError).toMatch(/cannot connect to http:\/\/127\.0\.0\.1:\d+/);
    expect(down).toMatchObject({ kind: null, confirmed: 0, failed: 0 });
    expect(down.pending).toBeGreaterThan(0);

    net = await startOwnLocalnet(home, true);
    const drained = await waitFor(
      'the backlog should drain',
      (s) => s.pending === 0 && s.confirmed > 0,
    );
    expect(drained).toMatchObject({ kind: 'real', failed: 0, chainError: null });
    // In order: the seed's version 1 and the change's version 2 of the same scopes were both
    // queued; the contract refuses a version that does not increase, so delivery out of order
    // would have failed items. And every confirmed item is on chain exactly once.
    // (Audit batches keep being sealed and anchored: compare at a moment with nothing in flight.)
    for (let i = 0; ; i += 1) {
      const s1 = await status();
      const head = await wasmdSmartQuery<HeadResponse>(
        net.env.CONSENT_CONTRACT_ADDRESS!,
        { head: {} },
        net.env.CHAIN_RPC_URL,
      );
      const s2 = await status();
      if (s1.pending === 0 && s2.pending === 0 && s1.confirmed === s2.confirmed) {
        expect(head.consents + head.anchors + head.grants).toBe(s2.confirmed);
        break;
      }
      if (i > 100) throw new Error('the relay never settled');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('a node restarted from a wiped home: the relay notices, stops and says so', async () => {
    const before = await status();
    await net!.stop();
    resetOwnLocalnet(net!);
    net = await startOwnLocalnet(home, true);
    await changeConsent('PERMIT');
    const reset = await waitFor('the reset should be reported', (s) =>
      /chain reset/.test(s.chainError ?? ''),
    );
    expect(reset.chainError).toMatch(/an operator must act/);
    // Nothing more is marked as recorded, now or a little later.
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await status();
    expect(later.confirmed).toBe(before.confirmed);
    expect(later.pending).toBeGreaterThan(0);
    expect(later.relayError).toMatch(/chain reset/);
    // The operator's command says so too, and fails.
    const cli = await runCli(['chain', 'status'], env);
    expect(cli.code).toBe(3);
    expect(cli.out).toMatch(/Chain {6}chain reset, the relay stopped and an operator must act/);
    expect(cli.out).toMatch(/Relay {6}last failure of a queued item: chain reset/);
  });
});

/** `consentome <args>` from source, as an operator runs it (exit code and output). */
function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      {
        cwd: path.join(import.meta.dirname, '../../..'),
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          LOG_LEVEL: 'silent',
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}
