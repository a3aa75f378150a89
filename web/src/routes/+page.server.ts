import { redirect } from '@sveltejs/kit';
import { ApiRequestError, apiText } from '$lib/server/api';
import type { Preferences } from '$lib/consent';
import { verifyAuditAction } from '$lib/server/audit-verify';
import type { Actions, PageServerLoad } from './$types';

export interface DatasetSummary {
  id: string;
  name: string;
  description: string;
  dataUse: {
    permission: string;
    diseases: string[];
    terms: { code: string; label: string; plain: string }[];
  };
}
export interface AuditRow {
  seq: number;
  occurredAt: string;
  actorRole: string;
  action: string;
  targetType: string | null;
  hash: string;
}

const DATASETS = `datasets { id name description dataUse { permission diseases terms { code label plain } } }`;

/** What each role sees first. One API call per page; the API audits any participant-level read. */
const QUERIES: Record<string, string> = {
  participant: `{ myParticipant { pseudonym status enrolledAt } }`,
  researcher: `{ ${DATASETS} }`,
  steward: `{ ${DATASETS} participants(limit: 1) { total } }`,
  ethics_board: `{ auditEvents(filter: { limit: 15 }) { seq occurredAt actorRole action targetType hash } }`,
  admin: `{ users { id email displayName role institution } auditEvents(filter: { limit: 10 }) { seq occurredAt actorRole action targetType hash } }`,
};

export const load: PageServerLoad = async ({ locals, fetch }) => {
  if (!locals.viewer) redirect(303, '/login');
  try {
    const home = await apiText<Record<string, unknown>>(
      fetch,
      QUERIES[locals.viewer.role]!,
      {},
      locals.token,
    );
    // A participant's current choices, for the summary; a failure here leaves the page usable.
    let consent: Preferences | null = null;
    if (locals.viewer.role === 'participant' && home.myParticipant) {
      try {
        const r = await apiText<{ myConsent: { current: Preferences } }>(
          fetch,
          `{ myConsent { current { version purposes { gru hmb ds poa methods commercial } askEachTime discoverable recontact createdAt } } }`,
          {},
          locals.token,
        );
        consent = r.myConsent.current;
      } catch {
        consent = null;
      }
    }
    return { home, consent, loadError: null };
  } catch (error) {
    return {
      home: null,
      consent: null,
      loadError: error instanceof ApiRequestError ? error.message : 'Unexpected error.',
    };
  }
};

export const actions: Actions = { verify: verifyAuditAction };
