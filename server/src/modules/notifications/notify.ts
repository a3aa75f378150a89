import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/database.js';
import { insertChunked } from '../../db/insert-chunked.js';
import type { Locale } from '../../lib/locales.js';
import { notifications } from './notifications.tables.js';
import { recipientLanguages, textIn, type LocalizedText } from './recipient-languages.js';

/**
 * Who a kind of message is for, and whether the recontact choice gates it
 * (docs/consent-precedence.md, "Recontact"):
 * - `own-data`: to a participant, about their own data: a use of it, a consent request for a
 *   study that would use it, its erasure, the security of their account. Always sent.
 * - `recontact`: to a participant, about something other than their own data (an invitation, a
 *   newsletter, a research result to return). Sent only to those who allow recontact: `notify`
 *   refuses these unless the recipients went through the consent module's recontact gate.
 * - `staff`: to researchers, board members, stewards or admins, about their work. Never to a
 *   participant as such, so the participant's recontact choice does not apply.
 */
export type NotificationAudience = 'own-data' | 'recontact' | 'staff';

/**
 * Every kind of notification (and so of e-mail: mail-delivery sends these rows), with its
 * audience and why. A kind is added here or nowhere; a test checks every kind the sources send
 * is listed.
 */
export const NOTIFICATION_KINDS = {
  consent_request: {
    audience: 'own-data',
    why: 'A study asks to use the participant’s data, or whether a later “no” applies to it.',
  },
  passkeys_reset: {
    audience: 'own-data',
    why: 'Security: the participant’s passkeys were reset by their site.',
  },
  representation_ended: {
    audience: 'own-data',
    why: 'The participant’s representative can no longer act for them: confirm or change what was decided.',
  },
  weekly_digest: {
    audience: 'own-data',
    why: 'The participant asked for a weekly count of what others did with their data.',
  },
  return_of_results: {
    audience: 'recontact',
    why: 'Their site would like to contact them about a research finding: not a use of their data.',
  },
  study_decision: { audience: 'staff', why: 'The board decided a researcher’s study.' },
  vote_needed: { audience: 'staff', why: 'A study awaits a board member’s review.' },
  vote_deadline: {
    audience: 'staff',
    why: 'A committee’s vote nears or passed its deadline: its members yet to vote and its chair are told.',
  },
  signing_official_needed: {
    audience: 'staff',
    why: 'A researcher’s request awaits their institution’s signing official.',
  },
  institution_decision: {
    audience: 'staff',
    why: 'A signing official returned or turned down a researcher’s request.',
  },
  agreement_published: {
    audience: 'staff',
    why: 'A committee published a new data use agreement: researchers with open requests or grants under it, and their signing officials, must accept it.',
  },
  library_card: {
    audience: 'staff',
    why: 'A signing official issued or revoked a researcher’s library card.',
  },
  collaboration_requested: {
    audience: 'staff',
    why: 'A researcher named another researcher as a collaborator, who must confirm.',
  },
  grant_issued: { audience: 'staff', why: 'A researcher’s access was granted.' },
  grant_expiring: { audience: 'staff', why: 'A researcher’s access ends soon.' },
  grant_ended: { audience: 'staff', why: 'A researcher’s access ended.' },
  renewal_due: {
    audience: 'staff',
    why: 'A grantee is reminded 60, 30 and 7 days before their grant’s annual renewal.',
  },
  renewal_overdue: {
    audience: 'staff',
    why: 'A grant missed its renewal: the grantee and its committees are told.',
  },
  renewal_submitted: {
    audience: 'staff',
    why: 'A committee is asked to decide a grant’s renewal on its progress report.',
  },
  renewal_decided: { audience: 'staff', why: 'A grantee is told their grant was renewed.' },
  participant_withdrew: {
    audience: 'staff',
    why: 'A grantee is told someone left their study (never who).',
  },
  deletion_requested: {
    audience: 'staff',
    why: 'A grantee must delete an erased participant’s data and confirm.',
  },
  data_use_narrowed: {
    audience: 'staff',
    why: 'A grantee is told the terms of use of a dataset they hold were narrowed.',
  },
  data_use_review: {
    audience: 'staff',
    why: 'Board members are asked to review grants after a dataset’s terms were narrowed.',
  },
} as const satisfies Record<string, { audience: NotificationAudience; why: string }>;

/** What a notification is about; the portal picks an icon and the inbox filters by it. */
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/**
 * Recipients the consent module checked against their latest recontact choice
 * (consent/recontact-gate.ts is the only place that creates one; a test scans the sources).
 */
export class RecontactCleared {
  constructor(readonly userIds: readonly string[]) {}
}

/**
 * One message to one or more users. Text names studies, never participants. A message to
 * participants gives its title and body in English and Spanish; each recipient's copy is written
 * in the language they chose (English when they chose none).
 */
export interface NotificationMessage {
  kind: NotificationKind;
  title: LocalizedText;
  body: LocalizedText;
  /** A portal path such as `/studies/<id>`: ids only, no personal data. */
  link?: string;
}

/**
 * Writes the notification for each user inside the caller's transaction, so it exists exactly
 * when the change it announces does. A `recontact` kind needs recipients cleared by the recontact
 * gate (the participant's choice decides), and refuses a plain list. E-mail goes out later from these rows (see mail-delivery).
 */
export async function notify(
  tx: Tx,
  recipients: readonly string[] | RecontactCleared,
  message: NotificationMessage,
): Promise<void> {
  const cleared = recipients instanceof RecontactCleared;
  if (NOTIFICATION_KINDS[message.kind].audience === 'recontact' && !cleared)
    throw new Error(
      `${message.kind} is not about the recipients' own data: pass them through the recontact gate`,
    );
  const userIds = cleared ? recipients.userIds : (recipients as readonly string[]);
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  const plain = typeof message.title === 'string' && typeof message.body === 'string';
  const languages = plain ? new Map<string, Locale>() : await recipientLanguages(tx, unique);
  await insertChunked(
    tx,
    notifications,
    unique.map((userId) => {
      const locale = languages.get(userId) ?? 'en';
      return {
        id: randomUUID(),
        userId,
        kind: message.kind,
        title: textIn(message.title, locale),
        body: textIn(message.body, locale),
        link: message.link ?? null,
      };
    }),
  );
}
