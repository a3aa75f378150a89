/** The timeline's summary line, in plain words. */

/** What the API sums up for a participant. */
export interface SummaryFigures {
  studiesAsked: number;
  studiesUsed: number;
  usesByOthers: number;
  lastUseAt: string | null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 days ago", "3 hours ago", "just now": how long before `now` a moment was. */
export function ago(iso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute', 'minutes')} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour', 'hours')} ago`;
  const days = Math.round(hours / 24);
  return `${plural(days, 'day', 'days')} ago`;
}

/** e.g. "3 studies asked, 1 used your data, last use 2 days ago". */
export function summaryLine(s: SummaryFigures, now: Date = new Date()): string {
  const parts = [
    `${plural(s.studiesAsked, 'study', 'studies')} asked`,
    `${s.studiesUsed} used your data`,
    s.lastUseAt ? `last use ${ago(s.lastUseAt, now)}` : 'no use by anyone else yet',
  ];
  return parts.join(', ');
}
