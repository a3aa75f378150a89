import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import { allDacs } from '../dacs/dac-reads.js';
import {
  dacReport,
  reportableDacIds,
  type CategoryDecisions,
  type DacReport,
  type MonthVolume,
  type Turnaround,
} from './dac-reports.js';

const TurnaroundType = builder.objectRef<Turnaround>('DacTurnaround').implement({
  description: 'Days from a committee’s election opening to its decision.',
  fields: (t) => ({
    decided: t.exposeInt('decided'),
    medianDays: t.exposeFloat('medianDays', { nullable: true }),
    meanDays: t.exposeFloat('meanDays', { nullable: true }),
    maxDays: t.exposeFloat('maxDays', { nullable: true }),
  }),
});

const MonthVolumeType = builder.objectRef<MonthVolume>('DacMonthVolume').implement({
  fields: (t) => ({
    month: t.exposeString('month', { description: 'YYYY-MM (UTC).' }),
    received: t.exposeInt('received'),
    approved: t.exposeInt('approved'),
    rejected: t.exposeInt('rejected'),
    open: t.exposeInt('open'),
    closed: t.exposeInt('closed'),
  }),
});

const CategoryDecisionsType = builder
  .objectRef<CategoryDecisions>('DacCategoryDecisions')
  .implement({
    description: 'Decisions for one DUO primary category of the requests’ purposes.',
    fields: (t) => ({
      category: t.exposeString('category'),
      approved: t.exposeInt('approved'),
      rejected: t.exposeInt('rejected'),
      open: t.exposeInt('open'),
      closed: t.exposeInt('closed'),
    }),
  });

const DacReportType = builder.objectRef<DacReport>('DacReport').implement({
  description: 'A committee’s volume, turnaround and decisions by DUO category.',
  fields: (t) => ({
    dacId: t.exposeID('dacId'),
    dacName: t.exposeString('dacName'),
    total: t.exposeInt('total'),
    turnaround: t.field({ type: TurnaroundType, resolve: (r) => r.turnaround }),
    months: t.field({ type: [MonthVolumeType], resolve: (r) => r.months }),
    categories: t.field({ type: [CategoryDecisionsType], resolve: (r) => r.categories }),
  }),
});

roleGatedRead('dacReports', {
  type: [DacReportType],
  description:
    'Reports of the committees you sit on (administrators: every committee), by committee name.',
  roles: ['ethics_board', 'admin'],
  run: async (tx, viewer) => {
    const ids = await reportableDacIds(tx, viewer);
    const dacs = (await allDacs(tx)).filter((d) => ids === 'all' || ids.includes(d.id));
    const reports: DacReport[] = [];
    for (const d of dacs) reports.push(await dacReport(tx, viewer, d.id));
    return reports;
  },
});

roleGatedRead('dacReport', {
  type: DacReportType,
  description: 'One committee’s report (its members and administrators).',
  roles: ['ethics_board', 'admin'],
  args: (t) => ({ dacId: t.arg.id() }),
  run: (tx, viewer, { dacId }) => dacReport(tx, viewer, String(dacId)),
});
