import { builder } from '../../builder.js';
import { parseInput } from '../../errors/parse-input.js';
import { DataUseSchema } from '../datasets/data-use.js';
import { DataUseInput, dataUseFromArgs } from '../datasets/datasets.types.js';
import { DuoModifierEnum } from '../datasets/datasets.types.js';
import { matchDataUse } from './duo/match-data-use.js';
import type { MatchResult, ModifierCheck, Obligation } from './duo/match-types.js';
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

const ModifierCheckStatusEnum = builder.enumType('ModifierCheckStatus', {
  description: 'How one modifier stands against the purpose.',
  values: {
    MET: { value: 'met', description: 'The purpose meets it.' },
    NOT_MET: { value: 'not_met', description: 'The purpose does not meet it.' },
    TO_CHECK: {
      value: 'to_check',
      description: 'A value is missing on one side: a reviewer or the grant checks it.',
    },
    OBLIGATION: { value: 'obligation', description: 'It obliges the grant; nothing to match.' },
  } as const,
});

export const ModifierCheckType = builder.objectRef<ModifierCheck>('ModifierCheck').implement({
  description: 'One modifier of the data use against the purpose, in plain words.',
  fields: (t) => ({
    code: t.field({ type: DuoModifierEnum, resolve: (c) => c.code }),
    status: t.field({ type: ModifierCheckStatusEnum, resolve: (c) => c.status }),
    text: t.exposeString('text'),
    obligation: t.string({ nullable: true, resolve: (c) => c.obligation ?? null }),
  }),
});

export const DuoMatchResultType = builder.objectRef<MatchResult>('DuoMatchResult').implement({
  fields: (t) => ({
    decision: t.field({ type: MatchDecisionEnum, resolve: (r) => r.decision }),
    reasons: t.exposeStringList('reasons', { description: 'Never empty: why, in plain words.' }),
    obligations: t.field({ type: [ObligationType], resolve: (r) => r.obligations }),
    grantExpiryMonths: t.exposeInt('grantExpiryMonths', { nullable: true }),
    checks: t.field({
      type: [ModifierCheckType],
      description: 'One finding per modifier: met, not met, to check, or an obligation.',
      resolve: (r) => r.checks,
    }),
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
      const dataUse = parseInput(DataUseSchema, dataUseFromArgs(args.dataUse));
      const index = await ctx.services.cohorts.current();
      return matchDataUse(purpose, dataUse, index.ontologyGraph());
    },
  }),
);
