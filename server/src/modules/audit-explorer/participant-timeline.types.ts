import { builder } from '../../builder.js';
import { roleGatedRead } from '../../graphql/role-gated-fields.js';
import type { ProofStep } from '../chain/merkle.js';
import {
  participantTimeline,
  participantTimelineSummary,
  type EventProof,
  type TimelineEvent,
  type TimelineSummary,
} from './participant-timeline.service.js';

const EventKindType = builder.enumType('EventKind', {
  description: 'Whose doing an event is, as the participant sees it.',
  values: {
    USE: {
      value: 'use',
      description: 'Someone else used, counted, asked for or shared your data.',
    },
    OWN: { value: 'own', description: 'You did it.' },
  } as const,
});

const TimelineSummaryType = builder.objectRef<TimelineSummary>('TimelineSummary').implement({
  description: 'Your timeline at a glance.',
  fields: (t) => ({
    studiesAsked: t.exposeInt('studiesAsked', {
      description: 'Studies that asked for your consent.',
    }),
    studiesUsed: t.exposeInt('studiesUsed', {
      description: 'Studies whose exports included your data.',
    }),
    usesByOthers: t.exposeInt('usesByOthers'),
    ownActivity: t.exposeInt('ownActivity'),
    lastUseAt: t.expose('lastUseAt', { type: 'DateTime', nullable: true }),
  }),
});

const ProofStepType = builder.objectRef<ProofStep>('MerkleProofStep').implement({
  fields: (t) => ({
    side: t.exposeString('side', { description: 'left or right: where the sibling hash goes.' }),
    hash: t.exposeString('hash'),
  }),
});

const EventProofType = builder.objectRef<EventProof>('EventProof').implement({
  description:
    'RFC 6962 inclusion proof: leaf = SHA-256(0x00 ‖ event hash), node = SHA-256(0x01 ‖ left ‖ right); ' +
    'the result must equal merkleRoot, which the chain holds for this batch.',
  fields: (t) => ({
    batch: t.exposeInt('batch'),
    merkleRoot: t.exposeString('merkleRoot'),
    steps: t.field({ type: [ProofStepType], resolve: (p) => p.steps }),
    txHash: t.exposeString('txHash', { nullable: true }),
    height: t.exposeInt('height', { nullable: true }),
    blockTime: t.exposeString('blockTime', { nullable: true }),
  }),
});

/** An audit event with its proof (timeline, data use). */
export const TimelineEventType = builder.objectRef<TimelineEvent>('TimelineEvent').implement({
  description: 'An event that touched your data, with what you need to verify it yourself.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    action: t.exposeString('action'),
    sentence: t.exposeString('sentence', { description: 'The event in plain words.' }),
    kind: t.field({ type: EventKindType, resolve: (e) => e.kind }),
    actorRole: t.exposeString('actorRole'),
    recordedBy: t.exposeString('recordedBy', {
      nullable: true,
      description:
        'Who acted for you, when someone did: "by your representative <name>", "recorded by <institution> (staff) on <date>, witnessed", or the clinician who read or added to your record, "by <name> (<institution>)", with ", for the care team <team>" when they acted for a team you authorised.',
    }),
    hash: t.exposeString('hash'),
    prevHash: t.exposeString('prevHash'),
    canonical: t.exposeString('canonical', {
      description: 'hash = SHA-256(prevHash bytes ‖ UTF-8 canonical).',
    }),
    proof: t.field({ type: EventProofType, nullable: true, resolve: (e) => e.proof }),
  }),
});

roleGatedRead('myTimeline', {
  type: [TimelineEventType],
  description:
    'Every audit event about your data, newest first, with chain proofs (participants only).',
  roles: ['participant'],
  args: (t) => ({
    limit: t.arg.int({ required: false }),
    beforeSeq: t.arg.int({ required: false }),
    kind: t.arg({ type: EventKindType, required: false }),
  }),
  run: (tx, viewer, args) =>
    participantTimeline(tx, viewer, {
      limit: args.limit ?? undefined,
      beforeSeq: args.beforeSeq ?? undefined,
      kind: args.kind ?? undefined,
    }),
});

roleGatedRead('myTimelineSummary', {
  type: TimelineSummaryType,
  description: 'How many studies asked and used your data, and when it was last used.',
  roles: ['participant'],
  run: (tx, viewer) => participantTimelineSummary(tx, viewer),
});
