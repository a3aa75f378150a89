import { z } from 'zod';

/** How a site's part of a federated count ended. */
export type SiteStatus =
  | 'counted' // a figure at or above the threshold, or 0
  | 'suppressed' // some participants match, fewer than the site shows
  | 'no_answer' // down, slow (past the timeout) or a server error
  | 'refused' // the site refused the query and said why (e.g. it does not know this member)
  | 'misbehaved'; // an answer this network must not show: malformed, or a count below the threshold

/** One site's part, as the home site shows it. */
export interface SiteAnswer {
  status: SiteStatus;
  /** The figure the site showed (null unless `counted`). */
  count: number | null;
  /** What the page shows for it: the figure, "<20", or nothing. */
  display: string | null;
  /** Why it was suppressed, refused, unanswered or rejected, in words. */
  detail: string | null;
}

const countResponse = z.object({
  meta: z.object({ returnedGranularity: z.enum(['boolean', 'count', 'record']) }).loose(),
  responseSummary: z.object({
    exists: z.boolean(),
    numTotalResults: z.number().int().min(0).optional(),
  }),
  info: z
    .object({
      countSuppressed: z.boolean().optional(),
      countDisplay: z.string().max(40).optional(),
    })
    .loose()
    .optional(),
});

const errorResponse = z.object({
  error: z.object({ errorCode: z.number().int(), errorMessage: z.string().max(500) }),
});

/**
 * Reads a member Beacon's answer to a count, and refuses to pass on one that would break the
 * network's count protection: a figure between 1 and the threshold, a figure with `exists`
 * false, `exists` true with a count of 0, or anything that is not a Beacon response. Such a site
 * is reported as misbehaving (by name, on the page) and adds nothing to the total.
 */
export function readSiteAnswer(status: number, body: unknown, minCellCount: number): SiteAnswer {
  if (status >= 500) return noAnswer(`the site answered HTTP ${status}`);
  if (status >= 400) {
    const error = errorResponse.safeParse(body);
    return {
      status: 'refused',
      count: null,
      display: null,
      detail: error.success ? error.data.error.errorMessage : `HTTP ${status}`,
    };
  }
  const parsed = countResponse.safeParse(body);
  if (!parsed.success) return misbehaved('its answer is not a Beacon count response');
  const { exists, numTotalResults: n } = parsed.data.responseSummary;
  if (n === undefined) {
    if (!exists) return { status: 'counted', count: 0, display: '0', detail: null };
    const shown = parsed.data.info?.countSuppressed ? parsed.data.info.countDisplay : undefined;
    return {
      status: 'suppressed',
      count: null,
      display: shown ?? `<${minCellCount}`,
      detail: 'fewer participants match than this site shows',
    };
  }
  if (n === 0 && exists) return misbehaved('it says participants match but counts 0');
  if (n > 0 && !exists) return misbehaved(`it counts ${n} but says nobody matches`);
  if (n > 0 && n < minCellCount)
    return misbehaved(`it showed a count below the network's threshold of ${minCellCount}`);
  return { status: 'counted', count: n, display: String(n), detail: null };
}

/** A site that did not answer in time, or could not be reached. */
export function noAnswer(detail: string): SiteAnswer {
  return { status: 'no_answer', count: null, display: null, detail };
}

function misbehaved(detail: string): SiteAnswer {
  return { status: 'misbehaved', count: null, display: null, detail };
}
