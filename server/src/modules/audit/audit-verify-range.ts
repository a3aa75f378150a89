import type { createHash as CreateHash } from 'node:crypto';
import type { HashedEvent } from './audit-hash.js';

/**
 * One range of the log checked on its own, from the bytes of `COPY (…) TO STDOUT` (text format),
 * so that `audit verify` can hash ranges in worker threads with no row objects built on the way.
 *
 * `checkAuditRange` is handed to the workers as source text (`String(checkAuditRange)`), so it
 * imports nothing: everything it calls is defined inside it or passed in. Keep it that way.
 */

/** The columns audit verify copies out, in order (occurred_at as epoch milliseconds). */
export const VERIFY_COPY_COLUMNS =
  'seq, (extract(epoch from occurred_at) * 1000)::bigint, actor_id, actor_role, action, ' +
  'target_type, target_id, participant_id, payload, prev_hash, hash';

/**
 * A row whose spliced hash did not match: the caller decides with the full canonicalisation.
 * It carries the hashed fields, with the time as the epoch milliseconds COPY gave.
 */
export interface SuspectRow extends Omit<HashedEvent, 'occurredAt'> {
  /** Its position in the range. */
  index: number;
  occurredAtMs: number;
  prevHash: string;
  hash: string;
  /** The stored hash of the row before it in the range ('' for the first row). */
  prevRowHash: string;
}

/** The first row of a range that breaks the chain inside it (sequence or link). */
export interface RangeBreak {
  index: number;
  seq: number;
  reason: string;
  /** The stored hash of the row before it. */
  prevRowHash: string;
}

/** What one range says about itself; the edges let the caller join it to its neighbours. */
export interface RangeCheck {
  count: number;
  /** seq and prev_hash of the first row, seq and hash of the last (0 and '' when empty). */
  firstSeq: number;
  firstPrevHash: string;
  lastSeq: number;
  lastHash: string;
  /** Rows before `broken` whose fast hash did not match, in order. */
  suspects: SuspectRow[];
  /** The first row (after the first) whose seq or prev_hash does not follow the row before. */
  broken: RangeBreak | null;
}

/**
 * Checks the rows in `bytes` (whole lines of COPY text): each row's stored hash against
 * SHA-256(prev_hash ‖ spliced canonical text), and, from the second row on, that its seq and
 * prev_hash follow the row before. Stops at the first such break; the first row's own seq and
 * link are the caller's to check against the previous range.
 */
export function checkAuditRange(
  bytes: Uint8Array,
  createHash: typeof CreateHash,
  text: { decode(input: Uint8Array): string },
): RangeCheck {
  // COPY text format: \N is NULL; a backslash escapes the delimiter, newlines and control bytes.
  const unescape = (field: string): string | null => {
    if (field === '\\N') return null;
    if (field.indexOf('\\') < 0) return field;
    return field.replace(/\\(.)/g, (_m, c: string) => {
      const map: Record<string, string> = {
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
        v: '\v',
        '\\': '\\',
      };
      return map[c] ?? c;
    });
  };
  const j = JSON.stringify;
  const lines = text.decode(bytes).split('\n');
  const result: RangeCheck = {
    count: 0,
    firstSeq: 0,
    firstPrevHash: '',
    lastSeq: 0,
    lastHash: '',
    suspects: [],
    broken: null,
  };
  let prevSeq = 0;
  let prevHash = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === '') continue;
    const f = line.split('\t');
    const seq = Number(f[0]);
    const occurredAtMs = Number(f[1]);
    const actorId = unescape(f[2]!);
    const actorRole = unescape(f[3]!)!;
    const action = unescape(f[4]!)!;
    const targetType = unescape(f[5]!);
    const targetId = unescape(f[6]!);
    const participantId = unescape(f[7]!);
    const payload = unescape(f[8]!)!;
    const rowPrevHash = unescape(f[9]!)!;
    const hash = unescape(f[10]!)!;
    const index = result.count;
    if (index === 0) {
      result.firstSeq = seq;
      result.firstPrevHash = rowPrevHash;
    } else if (seq !== prevSeq + 1) {
      const reason = `sequence gap: expected ${prevSeq + 1}, found ${seq}`;
      result.broken = { index, seq, reason, prevRowHash: prevHash };
      break;
    } else if (rowPrevHash !== prevHash) {
      const reason = 'prev_hash does not match the previous event';
      result.broken = { index, seq, reason, prevRowHash: prevHash };
      break;
    }
    // The same text as canonicalEventFast (audit-hash.ts), spliced around the stored payload.
    const canonical =
      `{"action":${j(action)},"actor":{"id":${j(actorId)},"role":${j(actorRole)}},` +
      `"occurredAt":${j(new Date(occurredAtMs).toISOString())},"participantId":${j(participantId)},` +
      `"payload":${payload},"seq":${seq},` +
      `"target":{"id":${j(targetId)},"type":${j(targetType)}}}`;
    const recomputed = createHash('sha256')
      .update(rowPrevHash, 'hex')
      .update(canonical, 'utf8')
      .digest('hex');
    if (recomputed !== hash)
      result.suspects.push({
        index,
        seq,
        occurredAtMs,
        actorId,
        actorRole,
        action,
        targetType,
        targetId,
        participantId,
        payload,
        prevHash: rowPrevHash,
        hash,
        prevRowHash: prevHash,
      });
    result.count += 1;
    prevSeq = seq;
    prevHash = hash;
  }
  result.lastSeq = prevSeq;
  result.lastHash = prevHash;
  return result;
}
