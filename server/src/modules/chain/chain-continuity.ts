import { ChainError, isChainError } from '@consentome/contracts-client';
import { count, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { chainOutbox, chainReceipts } from './chain.tables.js';
import type { LedgerPort } from './ledger-port.js';

/** The configured contract is not there (a contract running other code is a configuration error). */
function contractGone(err: unknown): err is ChainError {
  return isChainError(err, 'wrong_contract') && /^there is no contract/.test(err.message);
}

/**
 * Checks that the chain still holds what our receipts say we recorded on it. A node restarted
 * from a wiped home (or another network behind the same address) answers with a lower height,
 * another chain id, no contract, or fewer records than we confirmed; sending more would mix
 * receipts of two chains, and the old receipts would point at nothing. Returns a `chain_reset`
 * ChainError naming what differs, or null when the chain is consistent (or nothing was sent yet).
 */
export async function checkChainContinuity(
  db: Queryable,
  ledger: Pick<LedgerPort, 'head' | 'height' | 'getChainId'>,
): Promise<ChainError | null> {
  const [last] = await db
    .select({ chainId: chainReceipts.chainId, height: chainReceipts.height })
    .from(chainReceipts)
    .orderBy(desc(chainReceipts.id))
    .limit(1);
  if (!last) return null;
  const reset = (what: string) =>
    new ChainError(
      'chain_reset',
      `chain reset, the relay stopped and an operator must act: ${what}`,
    );
  let chainId: string;
  let height: number;
  try {
    chainId = await ledger.getChainId();
    height = await ledger.height();
  } catch (err) {
    // A session that reconnects checks the contract first: gone after a reset.
    if (contractGone(err)) return reset(err.message);
    throw err;
  }
  if (chainId !== last.chainId)
    return reset(`the node is on chain "${chainId}", our receipts are on "${last.chainId}"`);
  if (height < last.height)
    return reset(
      `the chain is at height ${height}, below our last receipt at height ${last.height}`,
    );
  let head;
  try {
    head = await ledger.head();
  } catch (err) {
    if (isChainError(err) && (err.retryable || err.code === 'wrong_chain')) throw err;
    if (contractGone(err)) return reset(err.message);
    return reset(`the contract no longer answers (${(err as Error).message.slice(0, 160)})`);
  }
  const confirmed = await db
    .select({ kind: chainOutbox.kind, n: count() })
    .from(chainOutbox)
    .where(eq(chainOutbox.status, 'confirmed'))
    .groupBy(chainOutbox.kind);
  const n = (kind: string) => confirmed.find((r) => r.kind === kind)?.n ?? 0;
  const onChain = { consent: head.consents, grant: head.grants, audit_anchor: head.anchors };
  for (const [kind, have] of Object.entries(onChain)) {
    if (have < n(kind))
      return reset(`the contract holds ${have} ${kind} records, we confirmed ${n(kind)}`);
  }
  return null;
}
