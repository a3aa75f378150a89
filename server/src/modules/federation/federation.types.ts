import { builder } from '../../builder.js';
import { ConflictError } from '../../errors/app-errors.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { CohortCriteriaInput } from '../cohorts/cohorts.types.js';
import {
  countAcrossNetwork,
  type NetworkCount,
  type NetworkTotal,
  type SiteCount,
} from './federated-count.service.js';
import type { SiteStatus } from './site-answer.js';

const SITE_STATUSES = ['counted', 'suppressed', 'no_answer', 'refused', 'misbehaved'] as const;
const SiteStatusEnum = builder.enumType('NetworkSiteStatus', {
  description:
    'counted: a figure (or 0); suppressed: some match, fewer than the site shows; no_answer: down or past the timeout; refused: the site refused and said why; misbehaved: an answer the network must not show (malformed, or a count below the threshold).',
  values: SITE_STATUSES satisfies readonly SiteStatus[],
});

const SiteCountType = builder.objectRef<SiteCount>('NetworkSiteCount').implement({
  description: 'One institution’s part of a network count, protected by that institution.',
  fields: (t) => ({
    memberId: t.exposeString('memberId'),
    name: t.exposeString('name'),
    home: t.exposeBoolean('home', { description: 'This institution, counted locally.' }),
    status: t.field({ type: SiteStatusEnum, resolve: (s) => s.status }),
    count: t.exposeInt('count', { nullable: true }),
    display: t.exposeString('display', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
    elapsedMs: t.exposeInt('elapsedMs'),
  }),
});

const NetworkTotalType = builder.objectRef<NetworkTotal>('NetworkTotal').implement({
  description:
    'The sum of what the sites showed: no site’s suppression or noise can be undone from it.',
  fields: (t) => ({
    count: t.exposeInt('count'),
    atLeast: t.exposeInt('atLeast'),
    display: t.exposeString('display'),
    complete: t.exposeBoolean('complete', {
      description: 'False when some site did not answer, refused or misbehaved.',
    }),
  }),
});

const NetworkCountType = builder.objectRef<NetworkCount>('NetworkCohortCount').implement({
  fields: (t) => ({
    sites: t.field({ type: [SiteCountType], resolve: (c) => c.sites }),
    total: t.field({ type: NetworkTotalType, resolve: (c) => c.total }),
  }),
});

function registryOf(ctx: GraphQLContext) {
  const registry = ctx.services.registry;
  if (!registry) throw new ConflictError('This server is not connected to a chain');
  return registry;
}

builder.queryField('networkCohortCount', (t) =>
  t.field({
    type: NetworkCountType,
    description:
      'Counts a cohort here and at every other member of the network (their Beacons, with a visa this institution signs for you). Each site protects its own figure; a site that is down or slow shows as no answer. Phenotypes, diseases, sex and one variant, region or gene only (VALIDATION otherwise). Audited here and at each site; one unit of your daily count budget.',
    authScopes: { roles: ['researcher', 'ethics_board', 'steward', 'admin'] },
    args: { criteria: t.arg({ type: CohortCriteriaInput }) },
    resolve: (_root, args, ctx) =>
      countAcrossNetwork(
        {
          db: ctx.db,
          counter: ctx.services.counter,
          registry: registryOf(ctx),
          issuer: ctx.config.publicUrl,
          timeoutMs: ctx.config.federation.timeoutMs,
        },
        ctx.viewer,
        { criteria: args.criteria },
      ),
  }),
);
