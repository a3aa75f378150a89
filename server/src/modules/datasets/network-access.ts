import { z } from 'zod';

/**
 * Whether a dataset held here opens to researchers of other network members on the strength of
 * a ControlledAccessGrants visa their own institution's DAC issued:
 * - `none` (the default): foreign visas open nothing here; only this site's own grants do.
 * - `visa`: the other member's DAC decision is enough. Its visa opens the dataset's protected
 *   counts at the Beacon; an export still needs a purpose recorded here that this dataset's
 *   data-use terms permit (checked automatically, the DAC reviews only what the matcher cannot
 *   decide).
 * - `visa_and_local_dac`: this site's own DAC must also approve (many networks require it):
 *   counts and exports open only once a request recorded here has been approved here.
 */
export const NETWORK_ACCESS = ['none', 'visa', 'visa_and_local_dac'] as const;

/** One of NETWORK_ACCESS. */
export type NetworkAccess = (typeof NETWORK_ACCESS)[number];

/** Validates a network access setting. */
export const NetworkAccessSchema = z.enum(NETWORK_ACCESS);

/** The setting of a dataset row (a value outside the list, impossible by the check, is `none`). */
export function networkAccessOfRow(row: { networkAccess: string }): NetworkAccess {
  const parsed = NetworkAccessSchema.safeParse(row.networkAccess);
  return parsed.success ? parsed.data : 'none';
}
