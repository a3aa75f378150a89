/**
 * Which datasets the caller's GA4GH Passport visas (ControlledAccessGrants) grant: the ids of
 * those datasets, or an empty set. The Beacon answers per-dataset counts for these only.
 */
export type VisaChecker = (request: Request) => Promise<Set<string>>;

/** The default until the passport module is wired in: no visa grants anything. */
export const noVisas: VisaChecker = () => Promise.resolve(new Set<string>());
