import { signedStatement, type ConsentItem } from '@consentome/contracts-client';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Database, Tx } from '../../db/database.js';
import { ValidationError } from '../../errors/app-errors.js';
import {
  chainTime,
  consentChallenge,
  consentRecords,
  signedRecords,
  type ConsentDecision,
} from '../chain/consent-records.js';
import type { RelyingParty } from '../../lib/webauthn.js';
import { hasActivePasskey, verifyParticipantAssertion } from './passkeys.service.js';

/**
 * How a consent mutation is vouched for. Absent: recorded by the institution for the participant
 * (shown as such). `prepare`: compute the records the participant would sign and stop (see
 * `prepareSigningStatement`). `signed`: the participant's passkey assertion over those records,
 * made at `time` (from the prepared statement). `attested`: recorded by the institution with a
 * witness on chain (a coordinator's paper record, a representative's decision): never signed.
 */
export type ConsentSigning =
  | { kind: 'prepare'; rp: RelyingParty }
  | { kind: 'signed'; rp: RelyingParty; time: string; response: AuthenticationResponseJSON }
  | { kind: 'attested'; witness: string };

/** What the participant's passkey is asked to sign. */
export interface SigningStatement {
  /** Unix seconds, to send back with the signature. */
  time: string;
  /** The WebAuthn challenge, base64url; null when the change records nothing on chain. */
  challenge: string | null;
  /** The canonical consent records the challenge commits to. */
  records: ConsentItem[];
}

/** Thrown by a mutation run with `prepare` once its records are known; rolls everything back. */
class StatementReady extends Error {
  constructor(readonly statement: SigningStatement) {
    super('signing statement ready');
  }
}

/** How far a signed statement's time may lie in the past (the participant reads, then signs). */
const MAX_STATEMENT_AGE_S = 600;

function checkedTime(time: string): string {
  const seconds = /^[1-9][0-9]{0,11}$/.test(time) ? Number(time) : NaN;
  const now = Date.now() / 1000;
  if (!(seconds <= now + 60 && seconds >= now - MAX_STATEMENT_AGE_S))
    throw new ValidationError('The signed statement is too old; sign again', [
      { field: 'signature', message: 'time out of range' },
    ]);
  return time;
}

/**
 * Who an unsigned withdrawal by a passkey holder is witnessed by: their own signed-in session.
 * Withdrawal must never wait for a device, so it stays possible without the passkey, and the
 * chain shows it as recorded by the institution, not as signed by the participant.
 */
export const SESSION_WITNESS = 'participant-session';

/**
 * The chain records of one decision and the passkey that signed them (null: the institution
 * records them). Verifies the participant's assertion before anything is written, so a bad
 * signature is refused here, with nothing changed; the contract checks it again.
 *
 * A participant with an active passkey must sign every decision (the contract refuses their
 * unsigned records too), except a withdrawal, which the institution then records with
 * `SESSION_WITNESS` so that losing a device never keeps anyone in a study.
 */
export async function vouchedRecords(
  tx: Tx,
  participantId: string,
  decision: Omit<ConsentDecision, 'time'>,
  signing: ConsentSigning | undefined,
  kind: 'decision' | 'withdrawal' = 'decision',
): Promise<{ items: ConsentItem[]; signedWith: string | null }> {
  if (!signing) {
    const items: ConsentItem[] = consentRecords({ ...decision, time: chainTime() });
    if (items.length === 0 || !(await hasActivePasskey(tx, participantId)))
      return { items, signedWith: null };
    if (kind === 'withdrawal')
      return {
        items: items.map((r) => ({ ...r, proof: { institution: { witness: SESSION_WITNESS } } })),
        signedWith: null,
      };
    throw new ValidationError(
      'You have a passkey, so your consent decisions are signed with it: confirm this change with your passkey',
      [{ field: 'signature', message: 'a passkey signature is required' }],
    );
  }
  if (signing.kind === 'attested') {
    const proof = { institution: { witness: signing.witness } };
    const records = consentRecords({ ...decision, time: chainTime() });
    return { items: records.map((r) => ({ ...r, proof })), signedWith: null };
  }
  if (signing.kind === 'prepare') {
    const time = chainTime();
    const records = consentRecords({ ...decision, time });
    throw new StatementReady({
      time,
      challenge: records.length ? consentChallenge(records) : null,
      records,
    });
  }
  const records = consentRecords({ ...decision, time: checkedTime(signing.time) });
  if (records.length === 0) return { items: [], signedWith: null };
  const assertion = await verifyParticipantAssertion(
    tx,
    participantId,
    signing.rp,
    signing.response,
    signedStatement(records).challenge,
  );
  return { items: signedRecords(records, assertion), signedWith: assertion.key_id };
}

/**
 * Runs a consent mutation with `prepare` in a transaction that is always rolled back, and returns
 * the records it would write: the participant signs exactly what the mutation will record.
 */
export async function prepareSigningStatement(
  db: Database,
  run: (tx: Tx, signing: ConsentSigning) => Promise<unknown>,
  rp: RelyingParty,
): Promise<SigningStatement> {
  try {
    await db.transaction((tx) => run(tx, { kind: 'prepare', rp }));
  } catch (error) {
    if (error instanceof StatementReady) return error.statement;
    throw error;
  }
  throw new Error('the mutation finished without reaching its chain records');
}
