import { createHash } from 'node:crypto';
import {
  ChainError,
  chainStatus,
  openEmbeddedLedger,
  type ConsentItem,
  type EmbeddedLedger,
} from '@consentome/contracts-client';
import type { Database } from '../db/database.js';
import { systemActor } from '../modules/actors/actor.js';
import type { ChainConnection } from '../modules/chain/chain-connection.js';
import type { LedgerPort } from '../modules/chain/ledger-port.js';
import { enqueueConsentRecord } from '../modules/chain/outbox.service.js';
import { chainSubject } from '../modules/chain/subject-pseudonym.js';
import { createParticipant } from '../modules/participants/participants.service.js';
import type { TestLedger } from './real-test-chain.js';

/** An embedded chain in memory with the contract deployed: the real wasm, no files. */
export function openTestLedger(dir?: string): Promise<EmbeddedLedger> {
  return openEmbeddedLedger(dir ? { dir } : {});
}

/**
 * A test chain as the server's `ChainConnection` (what start-up hands the services). Closing it
 * is the test's business, so its `close` does nothing.
 */
export function connectionOf(chain: {
  kind: 'embedded' | 'real';
  backend: TestLedger['backend'];
  ledger: TestLedger['ledger'];
  contractAddress: string;
}): ChainConnection {
  return {
    kind: chain.kind,
    backend: chain.backend,
    ledger: chain.ledger,
    contractAddress: chain.contractAddress,
    status: () => chainStatus(chain.backend, chain.contractAddress),
    close: async () => {},
  };
}

/** An embedded ledger (`openTestLedger`) as the server's `ChainConnection`. */
export function embeddedConnection(embedded: EmbeddedLedger): ChainConnection {
  return connectionOf({ kind: 'embedded', backend: embedded.chain, ...embedded });
}

/** A fresh embedded chain in memory as a TestLedger (the embedded side of the shared suites). */
export async function embeddedTestLedger(): Promise<TestLedger> {
  const embedded = await openTestLedger();
  return {
    kind: 'embedded',
    backend: embedded.chain,
    ledger: embedded.ledger,
    contractAddress: embedded.contractAddress,
    close: () => embedded.chain.close(),
  };
}

/** A ledger that is down: every call fails as an unreachable node would. */
export class SwitchableLedger implements LedgerPort {
  down = false;
  calls = 0;
  constructor(private readonly inner: LedgerPort) {}
  private guard(): void {
    this.calls += 1;
    if (this.down) throw new ChainError('unavailable', 'connect ECONNREFUSED 127.0.0.1:26657');
  }
  recordConsents: LedgerPort['recordConsents'] = async (items) => (
    this.guard(),
    this.inner.recordConsents(items)
  );
  recordGrants: LedgerPort['recordGrants'] = async (items) => (
    this.guard(),
    this.inner.recordGrants(items)
  );
  anchorAudit: LedgerPort['anchorAudit'] = async (a) => (this.guard(), this.inner.anchorAudit(a));
  changePasskey: LedgerPort['changePasskey'] = async (m) => (
    this.guard(),
    this.inner.changePasskey(m)
  );
  anchor: LedgerPort['anchor'] = async (w, b) => (this.guard(), this.inner.anchor(w, b));
  head: LedgerPort['head'] = async () => (this.guard(), this.inner.head());
  height: LedgerPort['height'] = async () => (this.guard(), this.inner.height());
  getChainId: LedgerPort['getChainId'] = async () => (this.guard(), this.inner.getChainId());
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Creates `n` participants and enqueues `versions` consent decisions for each, as the consent
 * service will: pseudonymous subject, scope, decision, version, evidence digest. Returns the
 * participant ids and the queued event ids in order.
 */
export async function enqueueConsentWorkload(
  db: Database,
  n: number,
  versions = 1,
  tag = 'w',
): Promise<{ participantIds: string[]; eventIds: string[] }> {
  const participantIds: string[] = [];
  const eventIds: string[] = [];
  await db.transaction(async (tx) => {
    for (let i = 0; i < n; i += 1) {
      const p = await createParticipant(tx, systemActor('test'), {
        sex: i % 2 ? 'female' : 'male',
      });
      participantIds.push(p.id);
      const subject = await chainSubject(tx, p.id);
      for (let v = 1; v <= versions; v += 1) {
        const item: ConsentItem = {
          event_id: `consent:${tag}:${i}:${v}`,
          subject,
          scope: 'purpose:HMB',
          decision: v % 2 ? 'permit' : 'deny',
          version: v,
          evidence: sha(`evidence ${tag} ${i} ${v}`),
          time: String(1_790_000_000 + v),
        };
        await enqueueConsentRecord(tx, item);
        eventIds.push(item.event_id);
      }
    }
  });
  return { participantIds, eventIds };
}
