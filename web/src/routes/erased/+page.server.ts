import type { PageServerLoad } from './$types';

const int = (v: string | null) => (v && /^\d{1,12}$/.test(v) ? Number(v) : null);

/** The erasure receipt, from the redirect's query: nothing personal, only what can be checked. */
export const load: PageServerLoad = ({ url }) => {
  const q = url.searchParams;
  const at = q.get('at');
  const hash = q.get('hash');
  return {
    receipt:
      at && !Number.isNaN(Date.parse(at)) && hash && /^[0-9a-f]{64}$/.test(hash)
        ? {
            at,
            seq: int(q.get('seq')),
            hash,
            phenotypes: int(q.get('phenotypes')) ?? 0,
            calls: int(q.get('calls')) ?? 0,
            asked: int(q.get('asked')) ?? 0,
          }
        : null,
  };
};
