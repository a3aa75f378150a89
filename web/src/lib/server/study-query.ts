import { error } from '@sveltejs/kit';
import { ApiRequestError, apiText } from './api';
import type { DatasetMatchView } from '$lib/DatasetMatchList.svelte';
import type { Purpose } from '$lib/study-labels';

/** A figure the API may suppress for researchers (exact for the board). */
export interface Figure {
  display: string;
  count: number | null;
}

/** One study as the researcher's and the board's pages show it. */
export interface StudyDetail {
  id: string;
  title: string;
  laySummary: string;
  status: string;
  createdAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
  decisionRationale: string | null;
  collaborators: string[];
  irbEvidenceName: string | null;
  irbEvidenceSha256: string | null;
  cohortCriteria: Record<string, unknown> | null;
  owner: { displayName: string; institution: string | null };
  purpose: Purpose;
  reviewPolicy: { quorum: number; chairDecides: boolean };
  datasets: {
    id: string;
    name: string;
    dataUse: {
      permission: string;
      modifiers: string[];
      diseases: string[];
      terms: { code: string; label: string; plain: string }[];
    };
  }[];
  match: {
    decision: string;
    reasons: string[];
    grantExpiryMonths: number | null;
    datasets: {
      datasetId: string;
      dataset: { name: string } | null;
      decision: string;
      reasons: string[];
      obligations: DatasetMatchView['obligations'];
    }[];
  } | null;
  cohort: {
    permitted: Figure;
    ask: Figure;
    excluded: Figure;
    requests: {
      pending: { count: number | null; display: string };
      permitted: { count: number | null; display: string };
      declined: { count: number | null; display: string };
    };
    exact: boolean;
  } | null;
  grant: { id: string; status: string; expiresAt: string } | null;
  votes: {
    id: string;
    memberName: string;
    mine: boolean;
    vote: string;
    rationale: string;
    conditions: string[];
    overrideReason: string | null;
    createdAt: string;
  }[];
}

const OBLIGATION = 'code kind description evidence';
const STUDY = `id title laySummary status createdAt submittedAt decidedAt decisionRationale collaborators
  irbEvidenceName irbEvidenceSha256 cohortCriteria
  owner { displayName institution }
  purpose { primary diseases commercial sensitive otherText }
  reviewPolicy { quorum chairDecides }
  datasets { id name dataUse { permission modifiers diseases terms { code label plain } } }
  match { decision reasons grantExpiryMonths
    datasets { datasetId dataset { name } decision reasons obligations { ${OBLIGATION} } } }
  cohort { permitted { display count } ask { display count } excluded { display count }
    requests { pending { count display } permitted { count display } declined { count display } } exact }
  grant { id status expiresAt }`;

/**
 * Loads one study (and, for the board, its votes). A study the caller may not see answers
 * NOT_FOUND from the API, shown as the 404 page; other failures are the caller's to show.
 */
export async function loadStudy(
  fetchFn: typeof fetch,
  token: string,
  id: string,
  withVotes: boolean,
): Promise<StudyDetail> {
  try {
    const { study } = await apiText<{ study: StudyDetail }>(
      fetchFn,
      `query($id: ID!) { study(id: $id) { ${STUDY} ${
        withVotes
          ? 'votes { id memberName mine vote rationale conditions overrideReason createdAt }'
          : ''
      } } }`,
      { id },
      token,
    );
    return { ...study, votes: study.votes ?? [] };
  } catch (e) {
    if (e instanceof ApiRequestError && e.code === 'NOT_FOUND')
      error(404, { message: 'There is no such study, or it is not yours to see.' });
    throw e;
  }
}

/** The frozen match per dataset, with names, for DatasetMatchList. */
export function matchViews(study: StudyDetail): DatasetMatchView[] {
  return (study.match?.datasets ?? []).map((d) => ({
    datasetId: d.datasetId,
    name: d.dataset?.name ?? 'A dataset you cannot see',
    decision: d.decision,
    reasons: d.reasons,
    obligations: d.obligations,
  }));
}

/**
 * For a draft, the match is not frozen yet: preview it per dataset with the public duoMatch,
 * so the researcher sees a "does not fit" before submitting rather than after.
 */
export async function previewMatch(
  fetchFn: typeof fetch,
  token: string,
  study: StudyDetail,
): Promise<DatasetMatchView[]> {
  const purpose = {
    primary: study.purpose.primary,
    commercial: study.purpose.commercial,
    diseases: study.purpose.diseases,
    sensitive: study.purpose.sensitive,
    otherText: study.purpose.otherText ?? undefined,
  };
  return Promise.all(
    study.datasets.map(async (d) => {
      const { duoMatch } = await apiText<{
        duoMatch: {
          decision: string;
          reasons: string[];
          obligations: DatasetMatchView['obligations'];
        };
      }>(
        fetchFn,
        `query($dataUse: DataUseInput!, $purpose: ResearchPurposeInput!) {
          duoMatch(dataUse: $dataUse, purpose: $purpose) { decision reasons obligations { ${OBLIGATION} } } }`,
        {
          dataUse: {
            permission: d.dataUse.permission,
            modifiers: d.dataUse.modifiers,
            diseases: d.dataUse.diseases,
          },
          purpose,
        },
        token,
      );
      return { datasetId: d.id, name: d.name, ...duoMatch };
    }),
  );
}

/** A study id is a UUID; anything else is a 404 without asking the API. */
export const STUDY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
