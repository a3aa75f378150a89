import { graphql } from '$lib/graphql/graphql';
import { TimelineEventFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const SetWeeklyDigest = graphql(
  `
    mutation SetWeeklyDigest($on: Boolean!) { setWeeklyDigest(on: $on) { ... on
    MutationSetWeeklyDigestSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

const PAGE_SIZE = 50;

// Uses by others and the participant's own activity come as two lists, so the uses they came
// to see are never pushed off the page by their own page views.
const Timeline = graphql(
  `
    query Timeline($limit: Int, $beforeSeq: Int, $ownBefore: Int) {
      myTimelineSummary { studiesAsked studiesUsed usesByOthers ownActivity lastUseAt }
      myWeeklyDigest
      uses: myTimeline(limit: $limit, beforeSeq: $beforeSeq, kind: USE) { ...TimelineEventFields }
      own: myTimeline(limit: $limit, beforeSeq: $ownBefore, kind: OWN) { ...TimelineEventFields }
    }
  `,
  [TimelineEventFields],
);

const seqParam = (url: URL, name: string): number | null => {
  const n = Number.parseInt(url.searchParams.get(name) ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : null;
};

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = signedIn(locals);
  const beforeSeq = seqParam(url, 'before');
  const ownBefore = seqParam(url, 'ownBefore');
  const res = await loadOrFail(fetch, token, Timeline, {
    limit: PAGE_SIZE + 1,
    beforeSeq,
    ownBefore,
  });
  const uses = res.uses.slice(0, PAGE_SIZE);
  const own = res.own.slice(0, PAGE_SIZE);
  return {
    summary: res.myTimelineSummary,
    weeklyDigest: res.myWeeklyDigest,
    uses,
    own,
    olderUses: res.uses.length > PAGE_SIZE ? uses[uses.length - 1]!.seq : null,
    olderOwn: res.own.length > PAGE_SIZE ? own[own.length - 1]!.seq : null,
    beforeSeq,
    ownBefore,
  };
};

export const actions: Actions = {
  digest: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const on = (await request.formData()).get('on') === 'true';
    return mutationAction(
      fetch,
      token,
      SetWeeklyDigest,
      { on },
      { kept: { action: 'digest' as const }, done: (data) => ({ digest: data }) },
    );
  },
};
