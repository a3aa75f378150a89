import type { ChainBackend, ExecuteOptions } from './chain.js';
import { ChainError } from './errors.js';
import { MAX_BATCH_ITEMS } from './messages.js';
import type {
  AnchorAuditMsg,
  AnchorRecord,
  Assertion,
  AnchorsResponse,
  ConfigResponse,
  ConsentHistoryResponse,
  ConsentItem,
  ConsentRecord,
  EventRef,
  ExecuteMsg,
  GrantItem,
  GrantRecord,
  HeadResponse,
  KeyProof,
  PasskeyChangeMsg,
  PasskeysResponse,
  QueryMsg,
  RecordDigestResponse,
  WebAuthnConfig,
} from './messages.js';
import { recordConsentsGas } from './gas-estimate.js';
import type {
  MemberInput,
  MemberRecord,
  MemberUpdate,
  MembershipChange,
  NetworkResponse,
  ProposalRecord,
} from './membership-messages.js';
import type { LinkedConsentResponse, LinkGroup, LinkOffer } from './link-messages.js';
import { buildReceipt } from './receipt.js';
import type { Receipt } from './receipt.js';

export interface PageOptions {
  /** Exclusive cursor: a `seq` (history) or a batch number (anchors). */
  startAfter?: number;
  /** 1..=100, default 20. */
  limit?: number;
}

function page(options: PageOptions): { start_after?: number; limit?: number } {
  const out: { start_after?: number; limit?: number } = {};
  if (options.startAfter !== undefined) out.start_after = options.startAfter;
  if (options.limit !== undefined) out.limit = options.limit;
  return out;
}

/** Read-only client of one consent-ledger contract (queries only; camelCase methods). */
export class ConsentLedger {
  constructor(
    readonly backend: ChainBackend,
    readonly contractAddress: string,
  ) {}

  protected query<T>(msg: QueryMsg): Promise<T> {
    return this.backend.query<T>(this.contractAddress, msg);
  }

  config(): Promise<ConfigResponse> {
    return this.query({ config: {} });
  }

  /** Latest decision of `subject` for `scope`, or null. */
  consent(subject: string, scope: string): Promise<ConsentRecord | null> {
    return this.query({ consent: { subject, scope } });
  }

  /** All decisions of `subject` (all scopes) by ascending seq, one page. */
  consentHistory(subject: string, options: PageOptions = {}): Promise<ConsentHistoryResponse> {
    return this.query({ consent_history: { subject, ...page(options) } });
  }

  /** Batch `batch` of `writer`'s audit trail (each writer numbers its own batches). */
  anchor(writer: string, batch: number): Promise<AnchorRecord | null> {
    return this.query({ anchor: { writer, batch } });
  }

  /** A page of `writer`'s anchors by batch, and how many it has in all. */
  anchors(writer: string, options: PageOptions = {}): Promise<AnchorsResponse> {
    return this.query({ anchors: { writer, ...page(options) } });
  }

  grant(grantId: string): Promise<GrantRecord | null> {
    return this.query({ grant: { grant_id: grantId } });
  }

  /** What an event id recorded (consent or grant), or null if it is unknown. */
  event(eventId: string): Promise<EventRef | null> {
    return this.query({ event: { event_id: eventId } });
  }

  /** Head hash and record counts. */
  head(): Promise<HeadResponse> {
    return this.query({ head: {} });
  }

  /** Every passkey ever registered for `subject` (removed ones carry `removed`). */
  passkeys(subject: string): Promise<PasskeysResponse> {
    return this.query({ passkeys: { subject } });
  }

  /** The contract's canonical JSON and digest of a consent record (what a participant signs). */
  recordDigest(item: ConsentItem): Promise<RecordDigestResponse> {
    return this.query({ record_digest: { item } });
  }

  /** The network's member institutions (removed ones too with `includeRemoved`). */
  async members(options: { includeRemoved?: boolean } = {}): Promise<MemberRecord[]> {
    const r = await this.query<{ members: MemberRecord[] }>({
      members: { include_removed: options.includeRemoved ?? false },
    });
    return r.members;
  }

  member(id: string): Promise<MemberRecord | null> {
    return this.query({ member: { id } });
  }

  /** The member that writes (or wrote) from `address`, or null. */
  memberByWriter(address: string): Promise<MemberRecord | null> {
    return this.query({ member_by_writer: { address } });
  }

  /** Whether the bootstrap is over, how many members, and what a proposal needs. */
  network(): Promise<NetworkResponse> {
    return this.query({ network: {} });
  }

  membershipProposal(id: number): Promise<ProposalRecord | null> {
    return this.query({ membership_proposal: { proposal_id: id } });
  }

  /** The relying party a writer set for itself, or null (the contract's then applies). */
  siteWebauthn(writer: string): Promise<WebAuthnConfig | null> {
    return this.query({ site_webauthn: { writer } });
  }

  linkOffer(nonce: string): Promise<LinkOffer | null> {
    return this.query({ link_offer: { nonce } });
  }

  /** The pseudonyms linked with `subject` (one per member), or null. */
  linkGroup(subject: string): Promise<LinkGroup | null> {
    return this.query({ link_group: { subject } });
  }

  /** The newest record of `scope` across `subject`'s link group (its own, if not linked). */
  async linkedConsent(subject: string, scope: string): Promise<ConsentRecord | null> {
    const r = await this.query<LinkedConsentResponse>({ linked_consent: { subject, scope } });
    return r.record;
  }

  async membershipProposals(options: PageOptions = {}): Promise<ProposalRecord[]> {
    const r = await this.query<{ proposals: ProposalRecord[] }>({
      membership_proposals: page(options),
    });
    return r.proposals;
  }

  /** The chain's latest block height. */
  height(): Promise<number> {
    return this.backend.getHeight();
  }

  /** The chain's id. */
  getChainId(): Promise<string> {
    return this.backend.getChainId();
  }
}

/**
 * Signing client: sends each message as one transaction from `sender` and returns a Receipt once
 * the chain reports it committed. Errors are `ChainError`s (see `retryable`).
 */
export class SigningConsentLedger extends ConsentLedger {
  private chainId: string | undefined;

  constructor(
    backend: ChainBackend,
    contractAddress: string,
    readonly sender: string,
  ) {
    super(backend, contractAddress);
  }

  /** Records up to MAX_BATCH_ITEMS consent decisions; replays of stored event ids are no-ops. */
  async recordConsents(items: readonly ConsentItem[]): Promise<Receipt> {
    checkBatch('record_consents', items.length);
    return this.send({ record_consents: { items: [...items] } }, { gas: recordConsentsGas(items) });
  }

  /** Anchors one audit batch (batch numbers are consecutive from 1). */
  anchorAudit(anchor: AnchorAuditMsg): Promise<Receipt> {
    return this.send({ anchor_audit: anchor });
  }

  /** Records up to MAX_BATCH_ITEMS data-access grants. */
  async recordGrants(items: readonly GrantItem[]): Promise<Receipt> {
    checkBatch('record_grants', items.length);
    return this.send({ record_grants: { items: [...items] } });
  }

  /** Admin only. */
  addWriter(address: string): Promise<Receipt> {
    return this.send({ add_writer: { address } });
  }

  /** Admin only. */
  removeWriter(address: string): Promise<Receipt> {
    return this.send({ remove_writer: { address } });
  }

  /** Admin only: the relying party whose assertions are accepted. */
  setWebauthn(config: WebAuthnConfig): Promise<Receipt> {
    return this.send({ set_webauthn: config });
  }

  /** Writers only: the relying party of the passkeys this writer (site) registers. */
  setSiteWebauthn(config: WebAuthnConfig): Promise<Receipt> {
    return this.send({ set_site_webauthn: config });
  }

  /** A member's writer: a participant's link offer, signed by their passkey at this site. */
  offerLink(offer: {
    subject: string;
    nonce: string;
    toMember: string;
    assertion: Assertion;
  }): Promise<Receipt> {
    const { subject, nonce, toMember, assertion } = offer;
    return this.send({ offer_link: { subject, nonce, to_member: toMember, assertion } });
  }

  /** The offer's `to_member` writer: accepts it, signed by the participant's passkey here. */
  acceptLink(nonce: string, subject: string, assertion: Assertion): Promise<Receipt> {
    return this.send({ accept_link: { nonce, subject, assertion } });
  }

  /** Writers only: sends one passkey registration or removal as the relay queued it. */
  changePasskey(message: PasskeyChangeMsg): Promise<Receipt> {
    return this.send(message);
  }

  /** Writers only: registers a passkey for `subject` (see KeyProof for who may). */
  registerPasskey(
    subject: string,
    keyId: string,
    publicKey: string,
    proof: KeyProof,
  ): Promise<Receipt> {
    return this.send({
      register_passkey: { subject, key_id: keyId, public_key: publicKey, proof },
    });
  }

  /** Writers only: removes a passkey of `subject` (kept on chain as removed). */
  removePasskey(subject: string, keyId: string, proof: KeyProof): Promise<Receipt> {
    return this.send({ remove_passkey: { subject, key_id: keyId, proof } });
  }

  /** Admin, during the bootstrap only: admits a founding member (its writer becomes a writer). */
  admitMember(member: MemberInput): Promise<Receipt> {
    return this.send({ admit_member: { member } });
  }

  /** Admin: ends the bootstrap; from then on only members change membership and writers. */
  closeBootstrap(): Promise<Receipt> {
    return this.send({ close_bootstrap: {} });
  }

  /** A member proposes a join or a removal; its own yes vote is counted at once. */
  proposeMembership(change: MembershipChange): Promise<Receipt> {
    return this.send({ propose_membership: { change } });
  }

  /** A member of the proposal's electorate votes, once. */
  voteMembership(proposalId: number, approve: boolean): Promise<Receipt> {
    return this.send({ vote_membership: { proposal_id: proposalId, approve } });
  }

  /** A member changes its own public details (e.g. rotates its Passport issuer keys). */
  updateMember(update: MemberUpdate): Promise<Receipt> {
    return this.send({ update_member: { update } });
  }

  /** A member leaves the network; its address stops writing at once. */
  leaveNetwork(): Promise<Receipt> {
    return this.send({ leave_network: {} });
  }

  private async send(message: ExecuteMsg, options?: ExecuteOptions): Promise<Receipt> {
    this.chainId ??= await this.backend.getChainId();
    // Writer changes report no head; they do not move it either, so the head before stands.
    const movesHead =
      'record_consents' in message || 'record_grants' in message || 'anchor_audit' in message;
    const headBefore = movesHead ? undefined : (await this.head()).head;
    const outcome = await this.backend.execute(this.sender, this.contractAddress, message, options);
    return buildReceipt({
      chainId: this.chainId,
      sender: this.sender,
      message,
      outcome,
      headBefore,
    });
  }
}

function checkBatch(what: string, n: number): void {
  if (n < 1 || n > MAX_BATCH_ITEMS) {
    throw new ChainError(
      'invalid_request',
      `${what}: a batch holds 1..=${MAX_BATCH_ITEMS} items, got ${n}`,
    );
  }
}
