import { desc, eq } from 'drizzle-orm';
import { builder } from '../../../builder.js';
import { NotFoundError } from '../../../errors/app-errors.js';
import { parseInput } from '../../../errors/parse-input.js';
import { WRITE_ERRORS } from '../../../graphql/error-types.js';
import { idSchema } from '../../../lib/validators.js';
import { DatasetType } from '../datasets.types.js';
import { datasets } from '../datasets.tables.js';
import type { IngestJob, IngestKind } from './ingest-jobs.js';
import { assertCanIngest } from './ingest.policy.js';
import { ingests } from './ingest.tables.js';
import { ingestPhenotypes } from './phenotype-ingest.service.js';
import { ingestVcf } from './vcf-ingest.service.js';

const IngestKindEnum = builder.enumType('IngestKind', {
  values: {
    VCF: { value: 'vcf' },
    PHENOTYPES: { value: 'phenotypes' },
    PHENOPACKETS: { value: 'phenopackets' },
  } as const,
});
const JobStatusEnum = builder.enumType('IngestJobStatus', {
  values: ['running', 'completed', 'failed'] as const,
});

const JobErrorType = builder
  .objectRef<{ code: string; message: string }>('IngestJobError')
  .implement({
    fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
  });

const IngestJobType = builder.objectRef<IngestJob>('IngestJob').implement({
  description: 'An ingest started from the portal: poll it for progress and the report.',
  fields: (t) => ({
    id: t.exposeID('id'),
    datasetId: t.exposeID('datasetId'),
    kind: t.field({ type: IngestKindEnum, resolve: (j) => j.kind }),
    fileName: t.exposeString('fileName'),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status }),
    percent: t.exposeFloat('percent', { nullable: true }),
    records: t.exposeInt('records'),
    calls: t.exposeInt('calls'),
    callsPerSecond: t.exposeInt('callsPerSecond'),
    report: t.field({ type: 'JSON', nullable: true, resolve: (j) => j.report }),
    error: t.field({ type: JobErrorType, nullable: true, resolve: (j) => j.error }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

type IngestRow = typeof ingests.$inferSelect;
const IngestType = builder.objectRef<IngestRow>('Ingest').implement({
  description: 'A completed ingest (a file is ingested into a dataset at most once).',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: IngestKindEnum, resolve: (i) => i.kind as IngestKind }),
    fileName: t.exposeString('fileName'),
    fileSha256: t.exposeString('fileSha256'),
    report: t.field({ type: 'JSON', resolve: (i) => i.report }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime' }),
  }),
});

builder.objectField(DatasetType, 'ingests', (t) =>
  t.field({
    type: [IngestType],
    description: 'Completed ingests, newest first.',
    resolve: (d, _args, ctx) =>
      ctx.db
        .select()
        .from(ingests)
        .where(eq(ingests.datasetId, d.id))
        .orderBy(desc(ingests.finishedAt)),
  }),
);

const StartIngestInput = builder.inputType('StartIngestInput', {
  fields: (t) => ({
    datasetId: t.id(),
    kind: t.field({ type: IngestKindEnum }),
    file: t.field({
      type: 'File',
      description: 'VCF (plain, gzip or bgzip), phenotype CSV/TSV, or Phenopackets JSON.',
    }),
    sampleMap: t.field({
      type: 'File',
      required: false,
      description: 'VCF only: TSV of sample id and participant pseudonym.',
    }),
  }),
});

builder.mutationField('startIngest', (t) =>
  t.field({
    type: IngestJobType,
    description:
      'Uploads a file and ingests it in the background (all or nothing). Poll ingestJob.',
    authScopes: { roles: ['steward', 'admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: StartIngestInput }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = ctx.viewer!;
      const datasetId = parseInput(idSchema, input.datasetId);
      const [dataset] = await ctx.db.select().from(datasets).where(eq(datasets.id, datasetId));
      if (!dataset) throw new NotFoundError('Dataset');
      assertCanIngest(viewer, dataset);
      const kind = input.kind as IngestKind;
      return ctx.services.ingestJobs.start(
        viewer,
        { datasetId, kind, file: input.file, sampleMap: input.sampleMap },
        async (paths, progress) => {
          const fileName = input.file.name;
          if (kind === 'vcf') {
            const report = await ingestVcf(
              ctx.db,
              viewer,
              { datasetId, path: paths.file, fileName, sampleMapPath: paths.sampleMap },
              progress,
            );
            return { ...report };
          }
          return {
            ...(await ingestPhenotypes(ctx.db, viewer, {
              datasetId,
              path: paths.file,
              format: kind,
              fileName,
            })),
          };
        },
      );
    },
  }),
);

builder.queryField('ingestJob', (t) =>
  t.field({
    type: IngestJobType,
    nullable: true,
    description: 'An ingest job you started (null when unknown or not yours).',
    authScopes: { roles: ['steward', 'admin'] },
    args: { id: t.arg.id() },
    resolve: (_root, { id }, ctx) => ctx.services.ingestJobs.get(String(id), ctx.viewer!),
  }),
);

builder.queryField('ingestJobs', (t) =>
  t.field({
    type: [IngestJobType],
    description: 'Your recent ingest jobs for a dataset, newest first.',
    authScopes: { roles: ['steward', 'admin'] },
    args: { datasetId: t.arg.id() },
    resolve: (_root, { datasetId }, ctx) =>
      ctx.services.ingestJobs.list(String(datasetId), ctx.viewer!),
  }),
);
