import { builder } from '../../builder.js';
import { parseInput } from '../../errors/parse-input.js';
import { DataUseSchema } from '../datasets/data-use.js';
import { DataUseInput } from '../datasets/datasets.types.js';
import { DuoModifierEnum } from '../datasets/datasets.types.js';
import { matchDataUse } from './duo/match-data-use.js';
import type { MatchResult, Obligation } from './duo/match-types.js';
import { ResearchPurposeSchema } from './duo/research-purpose.schema.js';
import { purposeFromArgs } from './research-purpose-args.js';
import { ResearchPurposeInput } from './research-purpose.types.js';

export const MatchDecisionEnum = builder.enumType('MatchDecision', {
  values: ['APPROVE', 'DENY', 'ABSTAIN'] as const,
});

export const ObligationType = builder.objectRef<Obligation>('Obligation').implement({
  description: 'A duty a grant would carry because of a data-use modifier.',
  fields: (t) => ({
    code: t.field({ type: DuoModifierEnum, resolve: (o) => o.code }),
    kind: t.exposeString('kind'),
    description: t.exposeString('description'),
    evidence: t.exposeString('evidence', { nullable: true }),
    until: t.exposeString('until', { nullable: true }),
    months: t.exposeInt('months', { nullable: true }),
    allowed: t.stringList({ nullable: true, resolve: (o) => (o.allowed ? [...o.allowed] : null) }),
  }),
});

export const DuoMatchResultType = builder.objectRef<MatchResult>('DuoMatchResult').implement({
  fields: (t) => ({
    decision: t.field({ type: MatchDecisionEnum, resolve: (r) => r.decision }),
    reasons: t.exposeStringList('reasons', { description: 'Never empty: why, in plain words.' }),
    obligations: t.field({ type: [ObligationType], resolve: (r) => r.obligations }),
    grantExpiryMonths: t.exposeInt('grantExpiryMonths', { nullable: true }),
  }),
});

builder.queryField('duoMatch', (t) =>
  t.field({
    type: DuoMatchResultType,
    description:
      'Matches a research purpose against DUO data-use terms (DUO rules, DUOS-style): APPROVE, DENY or ' +
      'ABSTAIN (human review), with reasons and the obligations a grant would carry. Public.',
    skipTypeScopes: true,
    args: {
      purpose: t.arg({ type: ResearchPurposeInput }),
      dataUse: t.arg({ type: DataUseInput }),
    },
    resolve: async (_root, args, ctx) => {
      const purpose = parseInput(ResearchPurposeSchema, purposeFromArgs(args.purpose));
      const dataUse = parseInput(DataUseSchema, {
        permission: args.dataUse.permission,
        diseases: args.dataUse.diseases ?? [],
        modifiers: args.dataUse.modifiers ?? [],
      });
      const index = await ctx.services.cohorts.current();
      return matchDataUse(purpose, dataUse, index.ontologyGraph());
    },
  }),
);
