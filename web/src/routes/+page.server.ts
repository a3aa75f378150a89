import { graphql, type ResultOf } from '$lib/graphql/graphql';
import { PreferencesFields, type Preferences } from '$lib/graphql/fragments';
import { api } from '$lib/server/api';
import { verifyAuditAction } from '$lib/server/audit-verify';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

const DatasetSummaryFields = graphql(`
  fragment DatasetSummaryFields on Dataset { id name description dataUse { permission diseases
  terms { code label plain } } }
`);
export type DatasetSummary = ResultOf<typeof DatasetSummaryFields>;

const AuditRowFields = graphql(`
  fragment AuditRowFields on AuditEvent { seq occurredAt actorRole action targetType hash }
`);
export type AuditRow = ResultOf<typeof AuditRowFields>;

/** What each role sees first. One API call per page; the API audits any participant-level read. */
const ParticipantHome = graphql(`
  query ParticipantHome { myParticipant { pseudonym status enrolledAt } }
`);
const ResearcherHome = graphql(
  `
    query ResearcherHome { datasets { ...DatasetSummaryFields } }
  `,
  [DatasetSummaryFields],
);
const StewardHome = graphql(
  `
    query StewardHome { datasets { ...DatasetSummaryFields } participants(limit: 1) { total } }
  `,
  [DatasetSummaryFields],
);
const BoardHome = graphql(
  `
    query BoardHome { auditEvents(filter: { limit: 15 }) { ...AuditRowFields } }
  `,
  [AuditRowFields],
);
const AdminHome = graphql(
  `
    query AdminHome { users { id email displayName role institution } auditEvents(filter: {
    limit: 10 }) { ...AuditRowFields } }
  `,
  [AuditRowFields],
);
const ConsentSummary = graphql(
  `
    query ConsentSummary { myConsent { current { ...PreferencesFields } } }
  `,
  [PreferencesFields],
);

/** The start page's parts; a role gets the ones it works with, the others stay empty. */
async function home(fetchFn: typeof fetch, token: string, role: string) {
  const empty = {
    participant: null as ResultOf<typeof ParticipantHome>['myParticipant'],
    datasets: [] as DatasetSummary[],
    participantTotal: 0,
    audit: [] as AuditRow[],
    users: [] as ResultOf<typeof AdminHome>['users'],
  };
  switch (role) {
    case 'participant': {
      const d = await loadOrFail(fetchFn, token, ParticipantHome, {});
      return { ...empty, participant: d.myParticipant };
    }
    case 'researcher':
      return { ...empty, ...(await loadOrFail(fetchFn, token, ResearcherHome, {})) };
    case 'steward': {
      const d = await loadOrFail(fetchFn, token, StewardHome, {});
      return { ...empty, datasets: d.datasets, participantTotal: d.participants.total };
    }
    case 'ethics_board':
      return { ...empty, audit: (await loadOrFail(fetchFn, token, BoardHome, {})).auditEvents };
    case 'admin': {
      const d = await loadOrFail(fetchFn, token, AdminHome, {});
      return { ...empty, users: d.users, audit: d.auditEvents };
    }
    default:
      return empty;
  }
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { viewer, token } = signedIn(locals);
  const parts = await home(fetch, token, viewer.role);
  // A participant's current choices, for the summary; a failure here leaves the page usable.
  let consent: Preferences | null = null;
  if (parts.participant)
    consent = await api(fetch, token, ConsentSummary, {})
      .then((r) => r.myConsent.current)
      .catch(() => null);
  return { ...parts, consent };
};

export const actions: Actions = { verify: verifyAuditAction };
