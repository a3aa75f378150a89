import { builder } from '../../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../../graphql/role-gated-fields.js';
import { WRITE_ERRORS } from '../../../graphql/error-types.js';
import { inTransaction } from '../../../graphql/run.js';
import {
  myGenotypeUploads,
  retractOwnGenotypeUpload,
  uploadOwnGenotypes,
  type GenotypeUploadView,
} from './genotype-upload.service.js';
import { liftoverAt } from './liftover-cache.js';

const GenotypeFileFormatEnum = builder.enumType('GenotypeFileFormat', {
  values: {
    VCF: { value: 'vcf', description: 'A single-sample VCF 4.x.' },
    TWENTY_THREE_AND_ME: { value: '23andme', description: '23andMe raw data (text).' },
    ANCESTRY_DNA: { value: 'ancestrydna', description: 'AncestryDNA raw data (text).' },
  } as const,
});

const GenotypeUploadReportType = builder
  .objectRef<GenotypeUploadView['report']>('GenotypeUploadReport')
  .implement({
    description: 'What was read from a genotype file, what was stored, and what was left out.',
    fields: (t) => ({
      lines: t.exposeInt('lines'),
      read: t.exposeInt('read', { description: 'Genotyped sites (or VCF calls) read.' }),
      calls: t.exposeInt('calls', { description: 'Non-reference calls stored.' }),
      noCalls: t.exposeInt('noCalls', { description: 'Sites the chip did not call.' }),
      indelCodes: t.exposeInt('indelCodes', {
        description: 'Insertion/deletion codes (D, I): no sequence, so not placed.',
      }),
      unmapped: t.exposeInt('unmapped', {
        description: 'Positions with no place on GRCh38 when converting from GRCh37.',
      }),
      unknownSites: t.exposeInt('unknownSites', {
        description: 'Sites where the platform knows no variant, so the reference is unknown.',
      }),
      unmatchedAlleles: t.exposeInt('unmatchedAlleles', {
        description: 'Sites whose alleles are neither the known reference nor alternate.',
      }),
    }),
  });

const GenotypeUploadType = builder.objectRef<GenotypeUploadView>('GenotypeUpload').implement({
  description: 'A genotype file you uploaded to your record (source: device upload).',
  fields: (t) => ({
    id: t.exposeID('id'),
    format: t.field({ type: GenotypeFileFormatEnum, resolve: (u) => u.format as 'vcf' }),
    build: t.exposeString('build', { description: 'The build the file said it is on.' }),
    liftedOver: t.exposeBoolean('liftedOver', {
      description: 'Positions were converted from GRCh37 to GRCh38.',
    }),
    fileName: t.exposeString('fileName'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    retractedAt: t.expose('retractedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When you retracted it: its calls no longer count anywhere.',
    }),
    report: t.field({ type: GenotypeUploadReportType, resolve: (u) => u.report }),
  }),
});

roleGatedRead('myGenotypeUploads', {
  type: [GenotypeUploadType],
  description: 'The genotype files you uploaded, newest first (retracted ones marked).',
  roles: ['participant'],
  run: (tx, viewer) => myGenotypeUploads(tx, viewer),
});

builder.mutationField('uploadMyGenotypes', (t) =>
  t.field({
    type: GenotypeUploadType,
    description:
      'Adds your own genotype file to your record: a single-sample VCF (plain, gzip or bgzip) or a 23andMe / AncestryDNA raw-data text file (plain or gzip), GRCh38 or GRCh37 (converted), up to GENOTYPE_UPLOAD_MAX_MB (default 64). Any problem writes nothing.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { file: t.arg({ type: 'File' }) },
    resolve: async (_root, { file }, ctx) => {
      const { maxBytes, liftoverChainPath } = ctx.config.genotypeUpload;
      const liftover = liftoverChainPath ? await liftoverAt(liftoverChainPath) : null;
      const upload = {
        name: file.name,
        size: file.size,
        bytes: async () => new Uint8Array(await file.arrayBuffer()),
      };
      return inTransaction(ctx, (tx) =>
        uploadOwnGenotypes(tx, ctx.viewer, upload, { maxBytes, liftover }),
      );
    },
  }),
);

roleGatedWrite('retractMyGenotypeUpload', {
  type: GenotypeUploadType,
  description:
    'Retracts a genotype file you uploaded, whole: its calls leave every count at once. It stays listed as retracted. Audited.',
  roles: ['participant'],
  args: (t) => ({ uploadId: t.arg.id() }),
  run: (tx, viewer, { uploadId }) => retractOwnGenotypeUpload(tx, viewer, String(uploadId)),
});
