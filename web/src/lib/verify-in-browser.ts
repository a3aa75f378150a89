import canonicalize from 'canonicalize';

/*
 * Checks a participant's signed consent records in their own browser, with WebCrypto: the same
 * four steps as `consentome consent verify-file` (docs/signed-consent.md), so a participant does
 * not have to take the portal's word that the chain holds what they signed.
 */

/** The parts of a downloaded bundle (format consentome-signed-consent/1) the check reads. */
export interface BrowserBundle {
  format: string;
  relyingParty: { origin: string; rp_id: string } | null;
  passkeys: { key_id: string; public_key: string }[];
  records: {
    record: {
      event_id: string;
      subject: string;
      scope: string;
      decision: string;
      version: number;
      /** Absent on legacy (format 1) records. */
      format?: number;
      evidence: string;
      time: string;
    };
    signed_by?: { key_id: string; record_digest: string };
    attested_by?: { writer: string; witness?: string };
    assertion?: { authenticator_data: string; client_data_json: string; signature: string };
    covers?: string[];
  }[];
}

/** One record's result. */
export interface BrowserVerdict {
  eventId: string;
  scope: string;
  version: number;
  status: 'verified' | 'failed' | 'institution';
  detail: string;
}

// The order of the P-256 group, for the low-S rule the contract applies.
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const fromB64url = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const toB64url = (b: Uint8Array) =>
  btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const sha256 = async (data: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
const equal = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The record's canonical JSON (RFC 8785) over its payload fields (format only when present). */
function recordJson(r: BrowserBundle['records'][number]['record']): string {
  const { decision, event_id, evidence, format, scope, subject, time, version } = r;
  const fields = { decision, event_id, evidence, scope, subject, time, version };
  return canonicalize(format === undefined ? fields : { ...fields, format }) ?? '';
}

/**
 * A strict DER ECDSA signature → the 64-byte r ‖ s WebCrypto verifies; null when it is not
 * exactly one SEQUENCE of two positive INTEGERs with nothing after, or S is high.
 */
export function derToRaw(der: Uint8Array): Uint8Array | null {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const ints: Uint8Array[] = [];
  let i = 2;
  for (let n = 0; n < 2; n += 1) {
    if (der[i] !== 0x02) return null;
    const len = der[i + 1]!;
    const value = der.subarray(i + 2, i + 2 + len);
    if (len === 0 || value.length !== len || (value[0]! & 0x80) !== 0) return null;
    if (len > 1 && value[0] === 0 && (value[1]! & 0x80) === 0) return null;
    ints.push(value[0] === 0 ? value.subarray(1) : value);
    i += 2 + len;
  }
  if (i !== der.length || ints.some((v) => v.length > 32)) return null;
  const s = BigInt(`0x${hex(ints[1]!)}`);
  if (s > P256_N / 2n) return null;
  const raw = new Uint8Array(64);
  raw.set(ints[0]!, 32 - ints[0]!.length);
  raw.set(ints[1]!, 64 - ints[1]!.length);
  return raw;
}

async function checkSigned(
  bundle: BrowserBundle,
  entry: BrowserBundle['records'][number],
): Promise<string | null> {
  const signedBy = entry.signed_by!;
  const digest = await sha256(utf8(recordJson(entry.record)));
  if (hex(digest) !== signedBy.record_digest) return 'the record differs from what was signed';
  const assertion = entry.assertion;
  if (!assertion) return 'the signature is not in the file';
  const rp = bundle.relyingParty;
  if (!rp) return 'the file names no website the passkey belongs to';
  const key = bundle.passkeys.find((k) => k.key_id === signedBy.key_id);
  if (!key) return 'the signing passkey is not in the file';
  let challenge = digest;
  if (entry.covers) {
    if (!entry.covers.includes(hex(digest))) return 'the signature does not cover this record';
    challenge = await sha256(utf8(canonicalize(entry.covers) ?? ''));
  }
  const clientDataBytes = fromB64url(assertion.client_data_json);
  let client: { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown };
  try {
    client = JSON.parse(new TextDecoder().decode(clientDataBytes)) as typeof client;
  } catch {
    return 'the browser data of the signature is not readable';
  }
  if (client.type !== 'webauthn.get') return 'not a passkey signature';
  if (client.challenge !== toB64url(challenge)) return 'the signature is over something else';
  if (client.origin !== rp.origin)
    return `it was made on another website (${String(client.origin)})`;
  if (client.crossOrigin === true) return 'it was made inside another website';
  const authData = fromB64url(assertion.authenticator_data);
  if (authData.length < 37 || !equal(authData.subarray(0, 32), await sha256(utf8(rp.rp_id))))
    return 'it was made for another website';
  if ((authData[32]! & 0x01) === 0) return 'no one was present when it was made';
  const raw = derToRaw(fromB64url(assertion.signature));
  if (!raw) return 'the signature is not in the one accepted encoding';
  let publicKey: CryptoKey;
  try {
    publicKey = await crypto.subtle.importKey(
      'raw',
      fromHex(key.public_key) as BufferSource,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
  } catch {
    return 'this browser cannot read the passkey’s public key';
  }
  const signed = new Uint8Array(authData.length + 32);
  signed.set(authData);
  signed.set(await sha256(clientDataBytes), authData.length);
  const ok = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    publicKey,
    raw as BufferSource,
    signed as BufferSource,
  );
  return ok ? null : 'the signature does not match your passkey';
}

/** Checks every record of a bundle in this browser. */
export async function verifyInBrowser(bundle: BrowserBundle): Promise<BrowserVerdict[]> {
  if (bundle.format !== 'consentome-signed-consent/1')
    throw new Error('Not a consent records file.');
  const verdicts: BrowserVerdict[] = [];
  for (const entry of bundle.records) {
    const base = {
      eventId: entry.record.event_id,
      scope: entry.record.scope,
      version: entry.record.version,
    };
    if (!entry.signed_by) {
      verdicts.push({ ...base, status: 'institution', detail: 'recorded by the institution' });
      continue;
    }
    const failure = await checkSigned(bundle, entry);
    verdicts.push(
      failure
        ? { ...base, status: 'failed', detail: failure }
        : { ...base, status: 'verified', detail: 'your passkey’s signature checks out' },
    );
  }
  return verdicts;
}
