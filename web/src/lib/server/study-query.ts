import { graphql, type ResultOf } from '$lib/graphql/graphql';
import {
  DataUseFields,
  ModifierCheckFields,
  ObligationFields,
  PurposeFields,
  StudyCountFields,
} from '$lib/graphql/fragments';
import type { DatasetMatchView } from '$lib/DatasetMatchList.svelte';
import { api } from './api';
import { loadOrFail } from './load';

const StudyQuery = graphql(
  `
    query Study($id: ID!, $withVotes: Boolean!) { study(id: $id) { id title laySummary status
    createdAt submittedAt decidedAt decisionRationale collaborators irbEvidenceName
    irbEvidenceSha256 cohortCriteria owner { displayName institution } purpose {
    ...PurposeFields } reviewPolicy { quorum chairDecides } datasets { id name dataUse {
    ...DataUseFields } } match { decision reasons grantExpiryMonths datasets { datasetId dataset
    { name } decision reasons obligations { ...ObligationFields } checks { ...ModifierCheckFields
    } } } cohort { permitted {
    ...StudyCountFields } ask { ...StudyCountFields } excluded { ...StudyCountFields } requests
    { pending { ...StudyCountFields } permitted { ...StudyCountFields } declined {
    ...StudyCountFields } } exact } grant { id status expiresAt } votes @include(if: $withVotes)
    { id memberName mine vote rationale conditions overrideReason createdAt } application {
    completeSections totalSections sections { section title complete problems data }
    collaborators { name email institution hasAccount confirmedAt } } documents { id kind name
    sizeBytes sha256 } consentResponses { asked answeredYes answeredNo waiting remindersSent }
    dataUseAgreements { agreement { id dacName version text textSha256 }
    acceptedByPi } institutionReviews { id decision reason decidedAt signingOfficial } } }
  `,
  [PurposeFields, DataUseFields, ObligationFields, ModifierCheckFields, StudyCountFields],
);

type StudyAnswer = ResultOf<typeof StudyQuery>['study'];
/** One study as the researcher's and the board's pages show it (no votes unless asked for). */
export type StudyDetail = Omit<StudyAnswer, 'votes'> & { votes: NonNullable<StudyAnswer['votes']> };

/**
 * Loads one study (and, for the board, its votes). A study the caller may not see answers
 * NOT_FOUND from the API, shown as the 404 page; any other failure fails the page.
 */
export async function loadStudy(
  fetchFn: typeof fetch,
  token: string,
  id: string,
  withVotes: boolean,
): Promise<StudyDetail> {
  const { study } = await loadOrFail(
    fetchFn,
    token,
    StudyQuery,
    { id, withVotes },
    'There is no such study, or it is not yours to see.',
  );
  return { ...study, votes: study.votes ?? [] };
}

/** The frozen match per dataset, with names, for DatasetMatchList. */
export function matchViews(study: StudyDetail): DatasetMatchView[] {
  return (study.match?.datasets ?? []).map((d) => ({
    datasetId: d.datasetId,
    name: d.dataset?.name ?? 'A dataset you cannot see',
    decision: d.decision,
    reasons: d.reasons,
    obligations: d.obligations,
    checks: d.checks,
  }));
}

const DuoMatch = graphql(
  `
    query DuoMatch($dataUse: DataUseInput!, $purpose: ResearchPurposeInput!) { duoMatch(dataUse:
    $dataUse, purpose: $purpose) { decision reasons obligations { ...ObligationFields } checks {
    ...ModifierCheckFields } } }
  `,
  [ObligationFields, ModifierCheckFields],
);

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
    forProfitOrganisation: study.purpose.forProfitOrganisation,
    institution: study.purpose.institution,
    userIds: study.purpose.userIds,
    projectId: study.purpose.projectId,
    geography: study.purpose.geography,
    plannedPublication: study.purpose.plannedPublication,
  };
  return Promise.all(
    study.datasets.map(async (d) => {
      const { duoMatch } = await api(fetchFn, token, DuoMatch, {
        dataUse: {
          permission: d.dataUse.permission,
          modifiers: d.dataUse.modifiers,
          diseases: d.dataUse.diseases,
          // The values too, so the preview checks TS, MOR, GS, IS, US and PS as submission will.
          params: Object.fromEntries(
            Object.entries(d.dataUse.params).filter(([k, v]) => k !== '__typename' && v !== null),
          ),
        },
        purpose,
      });
      return { datasetId: d.id, name: d.name, ...duoMatch };
    }),
  );
}

/** A study id is a UUID; anything else is a 404 without asking the API. */
export const STUDY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
