/** The UTC calendar date `days` from now (negative: in the past), as `YYYY-MM-DD`. */
export const isoDateInDays = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
