import { builder } from '../../builder.js';
import { inTransaction } from '../../graphql/run.js';
import type { chainReceipts } from './chain.tables.js';
import { getChainStatus, type ChainStatusView } from './chain-status.service.js';

type ReceiptRow = typeof chainReceipts.$inferSelect;
type Anchored = NonNullable<ChainStatusView['lastAnchoredBatch']>;

const ChainReceiptType = builder.objectRef<ReceiptRow>('ChainReceipt').implement({
  description: 'A committed chain transaction that carried outbox items.',
  fields: (t) => ({
    txHash: t.exposeString('txHash'),
    height: t.exposeInt('height'),
    blockTime: t.exposeString('blockTime'),
    digest: t.exposeString('digest', {
      description: 'SHA-256 of canonical (message, sender, height, time).',
    }),
    headHash: t.exposeString('headHash', {
      description: "The contract's running head hash after this transaction.",
    }),
    items: t.exposeInt('items'),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
  }),
});

const AnchoredBatchType = builder.objectRef<Anchored>('AnchoredAuditBatch').implement({
  fields: (t) => ({
    batch: t.exposeInt('batch'),
    firstSeq: t.exposeInt('firstSeq'),
    lastSeq: t.exposeInt('lastSeq'),
    merkleRoot: t.exposeString('merkleRoot'),
    txHash: t.exposeString('txHash'),
    height: t.exposeInt('height'),
    anchoredAt: t.expose('anchoredAt', { type: 'DateTime' }),
  }),
});

const ChainStatusType = builder.objectRef<ChainStatusView>('ChainStatus').implement({
  description: 'Outbox, anchoring and chain state. Lag = age of the oldest pending item.',
  fields: (t) => ({
    kind: t.string({
      nullable: true,
      description: 'embedded or real',
      resolve: (s) => s.chain?.kind ?? null,
    }),
    chainId: t.string({ nullable: true, resolve: (s) => s.chain?.chainId ?? null }),
    height: t.int({ nullable: true, resolve: (s) => s.chain?.height ?? null }),
    contractAddress: t.string({
      nullable: true,
      resolve: (s) => s.chain?.contract?.address ?? null,
    }),
    headHash: t.string({ nullable: true, resolve: (s) => s.chain?.contract?.head ?? null }),
    consentsOnChain: t.int({ nullable: true, resolve: (s) => s.chain?.contract?.consents ?? null }),
    anchorsOnChain: t.int({ nullable: true, resolve: (s) => s.chain?.contract?.anchors ?? null }),
    grantsOnChain: t.int({ nullable: true, resolve: (s) => s.chain?.contract?.grants ?? null }),
    chainError: t.exposeString('chainError', {
      nullable: true,
      description: 'Why the chain could not be asked, or that it was reset under us.',
    }),
    relayError: t.exposeString('relayError', {
      nullable: true,
      description:
        'Why the relay last failed to send an item that is still queued (node down, out of gas, unfunded key, wrong chain or contract).',
    }),
    pending: t.exposeInt('pending'),
    failed: t.exposeInt('failed'),
    confirmed: t.exposeInt('confirmed'),
    lagSeconds: t.float({
      description: 'Seconds the oldest pending outbox item has waited (0 when none).',
      resolve: (s) =>
        s.oldestPendingAt ? Math.max(0, (Date.now() - s.oldestPendingAt.getTime()) / 1000) : 0,
    }),
    unanchoredEvents: t.exposeInt('unanchoredEvents'),
    lastAnchoredBatch: t.field({
      type: AnchoredBatchType,
      nullable: true,
      resolve: (s) => s.lastAnchoredBatch,
    }),
    recentReceipts: t.field({ type: [ChainReceiptType], resolve: (s) => s.recentReceipts }),
  }),
});

builder.queryField('chainStatus', (t) =>
  t.field({
    type: ChainStatusType,
    authScopes: { roles: ['admin', 'ethics_board'] },
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) => getChainStatus(tx, ctx.viewer, ctx.services.chain)),
  }),
);
