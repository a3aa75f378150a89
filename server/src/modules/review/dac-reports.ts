import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { ForbiddenError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { dacById, dacsOfMember } from '../dacs/dac-reads.js';
import { studies, studyElections } from '../studies/studies.tables.js';

/** One month's volume: elections opened, and how those opened that month stand now. */
export interface MonthVolume {
  /** YYYY-MM (UTC). */
  month: string;
  received: number;
  approved: number;
  rejected: number;
  open: number;
  closed: number;
}

/** Decisions for one DUO primary category of the requests' purposes (GRU, HMB, DS, POA…). */
export interface CategoryDecisions {
  category: string;
  approved: number;
  rejected: number;
  open: number;
  closed: number;
}

/** Days from an election's opening to its decision, over the decided ones. */
export interface Turnaround {
  decided: number;
  medianDays: number | null;
  meanDays: number | null;
  maxDays: number | null;
}

/** A committee's report: how much it received, how fast it decided, what, by DUO category. */
export interface DacReport {
  dacId: string;
  dacName: string;
  total: number;
  turnaround: Turnaround;
  months: MonthVolume[];
  categories: CategoryDecisions[];
}

/**
 * The committee's members and admins read its report; other board members do not (each
 * committee's workload is its own business). Aggregates over requests only: no participant data.
 */
async function assertCanReadReport(tx: Tx, actor: Actor | null, dacId: string): Promise<void> {
  if (hasRole(actor, 'admin')) return;
  if (hasRole(actor, 'ethics_board') && (await dacsOfMember(tx, actor.userId)).includes(dacId))
    return;
  throw new ForbiddenError('Only the committee’s members and administrators read its report');
}

const DAY_MS = 86_400_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The median of sorted numbers. */
function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The report of one committee over every election it held, months oldest first. */
export async function dacReport(
  tx: Tx,
  actor: Actor | null,
  dacIdInput: unknown,
): Promise<DacReport> {
  const dac = await dacById(tx, dacIdInput);
  await assertCanReadReport(tx, actor, dac.id);
  const rows = await tx
    .select({
      status: studyElections.status,
      createdAt: studyElections.createdAt,
      decidedAt: studyElections.decidedAt,
      purpose: studies.purpose,
    })
    .from(studyElections)
    .innerJoin(studies, eq(studies.id, studyElections.studyId))
    .where(eq(studyElections.dacId, dac.id))
    .orderBy(asc(studyElections.createdAt));
  const months = new Map<string, MonthVolume>();
  const categories = new Map<string, CategoryDecisions>();
  const days: number[] = [];
  for (const r of rows) {
    const status = r.status as 'open' | 'approved' | 'rejected' | 'closed';
    const month = r.createdAt.toISOString().slice(0, 7);
    const m = months.get(month) ?? {
      month,
      received: 0,
      approved: 0,
      rejected: 0,
      open: 0,
      closed: 0,
    };
    m.received++;
    m[status]++;
    months.set(month, m);
    const category = (r.purpose as { primary?: string } | null)?.primary ?? 'unknown';
    const c = categories.get(category) ?? {
      category,
      approved: 0,
      rejected: 0,
      open: 0,
      closed: 0,
    };
    c[status]++;
    categories.set(category, c);
    if (r.decidedAt && (status === 'approved' || status === 'rejected'))
      days.push((r.decidedAt.getTime() - r.createdAt.getTime()) / DAY_MS);
  }
  days.sort((a, b) => a - b);
  const med = median(days);
  return {
    dacId: dac.id,
    dacName: dac.name,
    total: rows.length,
    turnaround: {
      decided: days.length,
      medianDays: med === null ? null : round1(med),
      meanDays: days.length ? round1(days.reduce((a, b) => a + b, 0) / days.length) : null,
      maxDays: days.length ? round1(days[days.length - 1]!) : null,
    },
    months: [...months.values()],
    categories: [...categories.values()].sort((a, b) => a.category.localeCompare(b.category)),
  };
}

/** The committees whose report the caller may read: their own (admins: all). */
export async function reportableDacIds(tx: Tx, actor: Actor | null): Promise<string[] | 'all'> {
  if (hasRole(actor, 'admin')) return 'all';
  if (hasRole(actor, 'ethics_board')) return dacsOfMember(tx, actor.userId);
  throw new ForbiddenError('Only committee members and administrators read committee reports');
}
