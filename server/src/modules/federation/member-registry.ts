import type { MemberRecord, SigningConsentLedger } from '@consentome/contracts-client';
import type { JSONWebKeySet } from 'jose';

/** What the registry reads from the chain: the members and this institution's own address. */
export type RegistryLedger = Pick<SigningConsentLedger, 'sender' | 'members'>;

/** How fresh the registry's answers are. */
export interface RegistrySettings {
  /**
   * How long the member list read from the chain is reused (default 5 s: about one block, so a
   * removal is honoured by the next block or so without a chain read per request).
   */
  membersTtlMs?: number;
  /** How long a member's fetched JWKS is reused (default 60 s). */
  jwksTtlMs?: number;
  /** How long fetching a JWKS may take (default 3 s). */
  fetchTimeoutMs?: number;
  /** The clock (tests move it). */
  now?: () => number;
}

/** A member's signing keys as the registry allows them: only the key ids it lists. */
export interface MemberKeys {
  member: MemberRecord;
  keys: JSONWebKeySet;
}

/** Why a member's keys could not be resolved. */
export interface KeyRefusal {
  refused: string;
}

/**
 * The network as this instance sees it, read from the chain registry and nothing else: the
 * active members, this institution's own entry, and each member's Passport keys, fetched from
 * the JWKS URL the registry lists and narrowed to the key ids the registry lists. A key a member
 * publishes at its URL but did not register on chain is never trusted.
 */
export class MemberRegistry {
  private members: { at: number; list: MemberRecord[] } | null = null;
  private readonly jwks = new Map<string, { at: number; set: JSONWebKeySet }>();
  private readonly settings: Required<RegistrySettings>;

  constructor(
    private readonly ledger: RegistryLedger,
    settings: RegistrySettings = {},
  ) {
    this.settings = {
      membersTtlMs: settings.membersTtlMs ?? 5_000,
      jwksTtlMs: settings.jwksTtlMs ?? 60_000,
      fetchTimeoutMs: settings.fetchTimeoutMs ?? 3_000,
      now: settings.now ?? Date.now,
    };
  }

  /** Every member ever admitted (removed ones carry `removed`), at most membersTtlMs old. */
  async allMembers(): Promise<MemberRecord[]> {
    const now = this.settings.now();
    if (!this.members || now - this.members.at > this.settings.membersTtlMs)
      this.members = { at: now, list: await this.ledger.members({ includeRemoved: true }) };
    return this.members.list;
  }

  /** Forgets what was read, so the next question goes to the chain (after a vote, in tests). */
  refresh(): void {
    this.members = null;
    this.jwks.clear();
  }

  /** This institution's active entry (its writer is this server's chain key), or null. */
  async self(): Promise<MemberRecord | null> {
    const sender = this.ledger.sender;
    return (await this.allMembers()).find((m) => m.writer === sender && !m.removed) ?? null;
  }

  /** The other active members: the sites a federated query asks. */
  async peers(): Promise<MemberRecord[]> {
    const sender = this.ledger.sender;
    return (await this.allMembers()).filter((m) => !m.removed && m.writer !== sender);
  }

  /**
   * The keys that may have signed a token whose header names `jku` and `kid`: the member whose
   * registered JWKS URL is `jku`, if it is active and registered `kid`. Refusals say why in
   * words an operator can act on (they name institutions, never people).
   */
  async keysFor(jku: string, kid: string): Promise<MemberKeys | KeyRefusal> {
    const member = (await this.allMembers()).find((m) => m.passport_jwks_url === jku);
    if (!member) return { refused: `${jku} is not the Passport key set of any network member` };
    if (member.removed) return { refused: `${member.id} is no longer a member of the network` };
    if (!member.passport_key_ids.includes(kid))
      return { refused: `key ${kid} is not registered on chain for ${member.id}` };
    const set = await this.fetchJwks(jku).catch((error: unknown) => error as Error);
    if (set instanceof Error)
      return { refused: `the key set of ${member.id} could not be read (${set.message})` };
    const keys = set.keys.filter((k) => typeof k.kid === 'string' && k.kid === kid);
    if (!keys.length) return { refused: `${member.id} does not publish key ${kid}` };
    return { member, keys: { keys } };
  }

  private async fetchJwks(url: string): Promise<JSONWebKeySet> {
    const now = this.settings.now();
    const cached = this.jwks.get(url);
    if (cached && now - cached.at <= this.settings.jwksTtlMs) return cached.set;
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.settings.fetchTimeoutMs),
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as unknown;
    if (!isKeySet(body)) throw new Error('not a JWKS');
    this.jwks.set(url, { at: now, set: body });
    return body;
  }
}

function isKeySet(body: unknown): body is JSONWebKeySet {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { keys?: unknown }).keys) &&
    (body as { keys: unknown[] }).keys.every((k) => typeof k === 'object' && k !== null)
  );
}
