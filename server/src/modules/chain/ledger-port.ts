import type {
  AnchorAuditMsg,
  AnchorRecord,
  ConsentItem,
  GrantItem,
  HeadResponse,
  PasskeyChangeMsg,
  Receipt,
} from '@consentome/contracts-client';

/**
 * What the server needs of the consent ledger: the narrow slice of SigningConsentLedger the relay
 * and the verifier use, so tests can put a failing or slow chain behind it.
 */
export interface LedgerPort {
  recordConsents(items: readonly ConsentItem[]): Promise<Receipt>;
  recordGrants(items: readonly GrantItem[]): Promise<Receipt>;
  anchorAudit(anchor: AnchorAuditMsg): Promise<Receipt>;
  changePasskey(message: PasskeyChangeMsg): Promise<Receipt>;
  /** Batch `batch` of `writer`'s audit anchors (each writer numbers its own). */
  anchor(writer: string, batch: number): Promise<AnchorRecord | null>;
  head(): Promise<HeadResponse>;
  /** The chain's latest height (the relay compares it with its last receipt). */
  height(): Promise<number>;
  getChainId(): Promise<string>;
}
