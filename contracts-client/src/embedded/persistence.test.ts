import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SigningConsentLedger } from '../consent-ledger.js';
import { ADMIN, embeddedFixture, WRITER } from '../test-support/embedded-fixture.js';
import type { EmbeddedFixture } from '../test-support/embedded-fixture.js';
import { consentItems, grantItem, hex64 } from '../test-support/fixtures.js';
import { SNAPSHOT_FILE, TX_LOG_FILE } from './chain-state-files.js';
import { EmbeddedChain } from './embedded-chain.js';
import { encodeLogLine, LogCorruptError } from './line-log.js';
import { openEmbeddedLedger } from './open-embedded-ledger.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedded-persist-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Everything observable about the ledger, to compare before/after a restart. */
async function observe(chain: EmbeddedChain, contract: string) {
  const ledger = new SigningConsentLedger(chain, contract, WRITER);
  return {
    height: await chain.getHeight(),
    time: await chain.getTime(),
    head: await ledger.head(),
    config: await ledger.config(),
    anchors: await ledger.anchors(ledger.sender, { limit: 100 }),
    grant: await ledger.grant('grant-1'),
    history: await ledger.consentHistory(consentItems('p', 3, 1)[0]!.subject),
    event: await ledger.event('p:499'),
  };
}

async function populate(f: EmbeddedFixture): Promise<void> {
  await f.ledger.recordConsents(consentItems('p', 0, 500));
  await f.ledger.anchorAudit({
    batch: 1,
    merkle_root: hex64('r1'),
    first_seq: 1,
    last_seq: 500,
    count: 500,
  });
  await f.ledger.recordGrants([grantItem('1')]);
  await new SigningConsentLedger(f.chain, f.contract, ADMIN).addWriter(ADMIN);
}

describe('embedded chain persistence', () => {
  it('a restart loses nothing and the chain continues where it stopped', async () => {
    const f = await embeddedFixture({ dir });
    await populate(f);
    const before = await observe(f.chain, f.contract);
    await f.chain.close();

    const chain = await EmbeddedChain.open({ dir });
    expect(await observe(chain, f.contract)).toEqual(before);
    const receipt = await new SigningConsentLedger(chain, f.contract, WRITER).recordConsents(
      consentItems('p', 500, 1),
    );
    expect(receipt.height).toBe(before.height + 1);
    expect(receipt.time > before.time).toBe(true);
    await chain.close();
  });

  it('reopening without a clean close (crash after a reported commit) loses nothing', async () => {
    const f = await embeddedFixture({ dir });
    await populate(f);
    const before = await observe(f.chain, f.contract);
    // No close(): the process "dies" here. Whatever was reported committed must be on disk.
    const chain = await EmbeddedChain.open({ dir });
    expect(await observe(chain, f.contract)).toEqual(before);
    await chain.close();
  });

  it('ignores a torn last log line, cuts it off, and keeps going', async () => {
    const f = await embeddedFixture({ dir });
    await populate(f);
    const before = await observe(f.chain, f.contract);
    const log = join(dir, TX_LOG_FILE);
    const sizeBefore = statSync(log).size;
    // A crash mid-append: part of a record, no newline.
    const torn = encodeLogLine({ kind: 'execute', height: before.height + 1, writes: [] });
    appendFileSync(log, torn.subarray(0, torn.length - 7));

    const chain = await EmbeddedChain.open({ dir });
    expect(await observe(chain, f.contract)).toEqual(before);
    expect(statSync(log).size).toBe(sizeBefore);
    await new SigningConsentLedger(chain, f.contract, WRITER).recordConsents(
      consentItems('p', 600, 1),
    );
    const after = await observe(chain, f.contract);
    await chain.close();
    const again = await EmbeddedChain.open({ dir });
    expect(await observe(again, f.contract)).toEqual(after);
    await again.close();
  });

  it('refuses to open a log with a corrupt record in the middle', async () => {
    const f = await embeddedFixture({ dir });
    await populate(f);
    await f.chain.close();
    const log = join(dir, TX_LOG_FILE);
    const lines = readFileSync(log, 'utf8').split('\n');
    const middle = lines.findIndex((l) => l.includes('"kind":"execute"'));
    expect(middle).toBeGreaterThan(0);
    expect(middle).toBeLessThan(lines.length - 2);
    lines[middle] = lines[middle]!.replace('"kind":"execute"', '"kind":"exekute"');
    writeFileSync(log, lines.join('\n'));
    const err = await EmbeddedChain.open({ dir }).then(
      () => 'opened',
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LogCorruptError);
  });

  it('compacts the log into snapshots and survives a crash between snapshot and log reset', async () => {
    const f = await embeddedFixture({ dir, compactLogBytes: 1 });
    await populate(f);
    // The log is folded into the snapshot once it outgrows it. The first snapshot holds the
    // contract's code, so how many items that takes depends on the wasm's size: batches are
    // added until it happens, and the log then holds nothing after the last batch.
    let extra = 0;
    while (statSync(join(dir, TX_LOG_FILE)).size >= 20_000 && extra < 5_000) {
      await f.ledger.recordConsents(consentItems('x', extra, 250));
      extra += 250;
    }
    const logCopy = join(dir, 'txlog.copy');
    await f.chain.close();
    expect(statSync(join(dir, SNAPSHOT_FILE)).size).toBeGreaterThan(400_000);
    expect(statSync(join(dir, TX_LOG_FILE)).size).toBeLessThan(20_000);

    const chain = await EmbeddedChain.open({ dir });
    const before = await observe(chain, f.contract);
    await chain.close();
    expect(before.head.consents).toBe(500 + extra);

    // Records already folded into the snapshot are skipped on replay.
    const g = await EmbeddedChain.open({ dir });
    const ledger = new SigningConsentLedger(g, f.contract, WRITER);
    await ledger.recordConsents(consentItems('p', 700, 2));
    const withLog = await observe(g, f.contract);
    copyFileSync(join(dir, TX_LOG_FILE), logCopy);
    await g.checkpoint();
    await g.close();
    copyFileSync(logCopy, join(dir, TX_LOG_FILE)); // as if the reset never happened
    const h = await EmbeddedChain.open({ dir });
    expect(await observe(h, f.contract)).toEqual(withLog);
    await h.close();
  });

  it('refuses a directory holding another chain id', async () => {
    const chain = await EmbeddedChain.open({ dir });
    await chain.close();
    await expect(EmbeddedChain.open({ dir, chainId: 'other-1' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('loses no reported commit when the process is killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../test-support/crash-child.ts', import.meta.url)),
        dir,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const reports: { height: number; head: string; consents: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) reports.push(JSON.parse(line));
        if (reports.length >= 5) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    // While it runs, the directory is locked against a second process.
    await expect(EmbeddedChain.open({ dir })).rejects.toMatchObject({ code: 'unavailable' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const last = reports[reports.length - 1]!;

    const { chain, ledger, deployed } = await openEmbeddedLedger({ dir });
    expect(deployed).toBe(false);
    const head = await ledger.head();
    expect(await chain.getHeight()).toBeGreaterThanOrEqual(last.height);
    expect(head.consents).toBeGreaterThanOrEqual(last.consents);
    if (head.consents === last.consents) expect(head.head).toBe(last.head);
    // Every reported batch is there, in order.
    expect(await ledger.event(`crash:${last.consents - 1}`)).toMatchObject({ seq: last.consents });
    await chain.close();
  });
});
