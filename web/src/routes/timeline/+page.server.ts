import { graphql } from '$lib/graphql/graphql';
import { TimelineEventFields } from '$lib/graphql/fragments';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const Timeline = graphql(
  `
    query Timeline($limit: Int, $beforeSeq: Int) { myTimeline(limit: $limit, beforeSeq:
    $beforeSeq) { ...TimelineEventFields } }
  `,
  [TimelineEventFields],
);

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = signedIn(locals);
  const before = Number.parseInt(url.searchParams.get('before') ?? '', 10);
  const beforeSeq = Number.isInteger(before) && before > 0 ? before : null;
  const { myTimeline } = await loadOrFail(fetch, token, Timeline, {
    limit: PAGE_SIZE + 1,
    beforeSeq,
  });
  const events = myTimeline.slice(0, PAGE_SIZE);
  return {
    events,
    older: myTimeline.length > PAGE_SIZE ? events[events.length - 1]!.seq : null,
    beforeSeq,
  };
};
