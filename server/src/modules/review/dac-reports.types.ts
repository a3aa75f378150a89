import { builder } from '../../builder.js';
import { inTransaction } from '../../graphql/run.js';
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

builder.queryField('dacReports', (t) =>
  t.field({
    type: [DacReportType],
    description:
      'Reports of the committees you sit on (administrators: every committee), by committee name.',
    authScopes: { roles: ['ethics_board', 'admin'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, async (tx) => {
        const ids = await reportableDacIds(tx, ctx.viewer);
        const dacs = (await allDacs(tx)).filter((d) => ids === 'all' || ids.includes(d.id));
        const reports: DacReport[] = [];
        for (const d of dacs) reports.push(await dacReport(tx, ctx.viewer, d.id));
        return reports;
      }),
  }),
);

builder.queryField('dacReport', (t) =>
  t.field({
    type: DacReportType,
    description: 'One committee’s report (its members and administrators).',
    authScopes: { roles: ['ethics_board', 'admin'] },
    args: { dacId: t.arg.id() },
    resolve: (_root, { dacId }, ctx) =>
      inTransaction(ctx, (tx) => dacReport(tx, ctx.viewer, String(dacId))),
  }),
);
