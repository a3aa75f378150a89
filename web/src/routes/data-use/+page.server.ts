import { graphql } from '$lib/graphql/graphql';
import { PurposeFields, TimelineEventFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { PageServerLoad } from './$types';

/** Every study that asked for or used the participant's data. */
const DataUse = graphql(
  `
    query DataUse { myDataUse { decision requestStatus inGrant grantExpiresAt study { id title
    laySummary laySummaryEs status decisionRationale submittedAt decidedAt purpose { ...PurposeFields } }
    exports { id createdAt sampleId } events { ...TimelineEventFields } } duoTerms { code plain
    } }
  `,
  [PurposeFields, TimelineEventFields],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, DataUse, {});
  return {
    entries: data.myDataUse,
    duoPlain: Object.fromEntries(data.duoTerms.map((t) => [t.code, t.plain])),
  };
};
