/** The timeline's summary line, in plain words, in the page's language. */
import { m } from '$lib/paraglide/messages';

/** What the API sums up for a participant. */
export interface SummaryFigures {
  studiesAsked: number;
  studiesUsed: number;
  usesByOthers: number;
  lastUseAt: string | null;
}

/** "2 days ago", "3 hours ago", "just now": how long before `now` a moment was. */
export function ago(iso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 60_000));
  if (minutes < 1) return m.ago_now();
  if (minutes < 60)
    return minutes === 1 ? m.ago_minutes_one() : m.ago_minutes_many({ count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? m.ago_hours_one() : m.ago_hours_many({ count: hours });
  const days = Math.round(hours / 24);
  return days === 1 ? m.ago_days_one() : m.ago_days_many({ count: days });
}

/** e.g. "3 studies asked, 1 used your data, last use 2 days ago". */
export function summaryLine(s: SummaryFigures, now: Date = new Date()): string {
  const parts = [
    s.studiesAsked === 1 ? m.summary_asked_one() : m.summary_asked_many({ count: s.studiesAsked }),
    m.summary_used({ count: s.studiesUsed }),
    s.lastUseAt ? m.summary_last_use({ ago: ago(s.lastUseAt, now) }) : m.summary_no_use(),
  ];
  return parts.join(', ');
}
