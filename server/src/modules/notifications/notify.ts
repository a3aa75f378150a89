import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/database.js';
import { insertChunked } from '../../db/insert-chunked.js';
import { notifications } from './notifications.tables.js';

/** What a notification is about; the portal picks an icon and the inbox filters by it. */
export type NotificationKind =
  | 'consent_request'
  | 'study_decision'
  | 'vote_needed'
  | 'grant_issued'
  | 'grant_expiring'
  | 'grant_ended'
  | 'participant_withdrew'
  | 'deletion_requested'
  | 'passkeys_reset'
  | 'weekly_digest'
  | 'data_use_narrowed'
  | 'data_use_review';

/** One message to one or more users. Text names studies, never participants. */
export interface NotificationMessage {
  kind: NotificationKind;
  title: string;
  body: string;
  /** A portal path such as `/studies/<id>`: ids only, no personal data. */
  link?: string;
}

/**
 * Writes the notification for each user inside the caller's transaction, so it exists exactly
 * when the change it announces does. E-mail goes out later from these rows (see mail-delivery).
 */
export async function notify(
  tx: Tx,
  userIds: readonly string[],
  message: NotificationMessage,
): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await insertChunked(
    tx,
    notifications,
    unique.map((userId) => ({
      id: randomUUID(),
      userId,
      kind: message.kind,
      title: message.title,
      body: message.body,
      link: message.link ?? null,
    })),
  );
}
