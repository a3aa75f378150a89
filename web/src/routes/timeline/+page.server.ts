import { api } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export interface TimelineEvent {
  seq: number;
  occurredAt: string;
  action: string;
  actorRole: string;
  hash: string;
  prevHash: string;
  canonical: string;
  proof: {
    batch: number;
    merkleRoot: string;
    steps: { side: string; hash: string }[];
    txHash: string | null;
    height: number | null;
    blockTime: string | null;
  } | null;
}

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { token } = requireRole(locals, ['participant'], 'the timeline (participants only)');
  const before = Number.parseInt(url.searchParams.get('before') ?? '', 10);
  const beforeSeq = Number.isInteger(before) && before > 0 ? before : null;
  try {
    const { myTimeline } = await api<{ myTimeline: TimelineEvent[] }>(
      fetch,
      `query($limit: Int, $beforeSeq: Int) { myTimeline(limit: $limit, beforeSeq: $beforeSeq) {
        seq occurredAt action actorRole hash prevHash canonical
        proof { batch merkleRoot steps { side hash } txHash height blockTime } } }`,
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
