import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import { TIMELINE_EVENT_FIELDS, type TimelineEvent } from '$lib/timeline-event';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = requireRole(locals, ['participant'], 'the timeline (participants only)');
  const before = Number.parseInt(url.searchParams.get('before') ?? '', 10);
  const beforeSeq = Number.isInteger(before) && before > 0 ? before : null;
  try {
    const { myTimeline } = await apiText<{ myTimeline: TimelineEvent[] }>(
      fetch,
      `query($limit: Int, $beforeSeq: Int) { myTimeline(limit: $limit, beforeSeq: $beforeSeq) {
        ${TIMELINE_EVENT_FIELDS} } }`,
      { limit: PAGE_SIZE + 1, beforeSeq },
      token,
    );
    const events = myTimeline.slice(0, PAGE_SIZE);
    return {
      events,
      older: myTimeline.length > PAGE_SIZE ? events[events.length - 1]!.seq : null,
      beforeSeq,
      loadError: null,
    };
  } catch (e) {
    return { events: [] as TimelineEvent[], older: null, beforeSeq, loadError: messageOf(e) };
  }
};
