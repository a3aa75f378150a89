// Package entry: the public API of @consentome/contracts-client.
export * from './messages.js';
export type * from './membership-messages.js';
export type * from './link-messages.js';
export { linkAcceptChallenge, linkOfferChallenge } from './participant-link.js';
export type {
  ChainAttribute,
  ChainBackend,
  ChainEvent,
  ChainKind,
  ExecuteOutcome,
  InstantiateOutcome,
  JsonObject,
  TxOutcome,
  UploadOutcome,
} from './chain.js';
export { ChainError, CONTRACT_ERROR_KINDS, contractErrorKind, isChainError } from './errors.js';
export type { ChainErrorCode, ChainErrorDetails, ContractErrorKind } from './errors.js';
export {
  buildReceipt,
  decodeExecuteSummary,
  headHashFromEvents,
  receiptDigest,
} from './receipt.js';
export type { Receipt, ReceiptDigestInput } from './receipt.js';
export { ConsentLedger, SigningConsentLedger } from './consent-ledger.js';
export type { PageOptions } from './consent-ledger.js';
export { canonicalItemBytes, chainHead } from './head-hash.js';
export type { HeadItem } from './head-hash.js';
export { canonicalJson } from './canonical-json.js';
export { acquirePidLock, PidLockHeldError, readPidLock } from './pid-lock.js';
export type { PidLockInfo } from './pid-lock.js';
export {
  consentRecordDigest,
  consentRecordJson,
  keyChangeChallenge,
  normalizeDerSignature,
  signedStatement,
} from './consent-record.js';
export type { ConsentRecordFields, SignedStatement } from './consent-record.js';
export { verifySignedRecord } from './verify-signed-record.js';
export { CONSENT_BUNDLE_FORMAT, recordFields, verifyConsentBundle } from './consent-bundle.js';
export type { BundledRecord, BundleVerdict, ConsentBundle } from './consent-bundle.js';
export type { SignatureCheck } from './verify-signed-record.js';
export { nanosToRfc3339, normalizeRfc3339, rfc3339ToNanos } from './block-time.js';
export {
  consentLedgerWasmPath,
  expectedConsentLedgerChecksum,
  loadConsentLedgerWasm,
} from './wasm-artifact.js';
export type { ConsentLedgerWasm } from './wasm-artifact.js';
export { ChainConfigError, readChainConfig } from './config.js';
export type { ChainConfig } from './config.js';
export { DEFAULT_CONTRACT_LABEL, deployConsentLedger } from './deploy.js';
export type { DeployOptions, Deployment } from './deploy.js';
export { chainStatus } from './status.js';
export type { ChainStatus } from './status.js';
export { namedAccountAddress, toBech32Address } from './bech32-address.js';
export {
  DEFAULT_EMBEDDED_CHAIN_ID,
  DEFAULT_EMBEDDED_PREFIX,
  EmbeddedChain,
} from './embedded/embedded-chain.js';
export type { EmbeddedChainOptions, EmbeddedContractInfo } from './embedded/embedded-chain.js';
export { openEmbeddedLedger } from './embedded/open-embedded-ledger.js';
export { openConsentLedger } from './open-consent-ledger.js';
export type { ConsentLedgerConnection, OpenConsentLedgerOptions } from './open-consent-ledger.js';
export type { EmbeddedLedger } from './embedded/open-embedded-ledger.js';
export { CosmjsChain } from './real/cosmjs-chain.js';
export type { CosmjsChainOptions, SigningClientLike } from './real/cosmjs-chain.js';
export { connectRealChain } from './real/connect-real-chain.js';
export type { RealChainConnection, RealChainParams } from './real/connect-real-chain.js';
export { RealChainSession, senderAddress } from './real/real-chain-session.js';
export type { RealChainSessionParams } from './real/real-chain-session.js';
export { DEFAULT_TX_RETRY_POLICY } from './real/tx-retry.js';
export type { TxRetryPolicy } from './real/tx-retry.js';
