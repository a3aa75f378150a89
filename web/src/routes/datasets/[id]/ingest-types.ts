import { graphql, type ResultOf } from '$lib/graphql/graphql';

/** An ingest job as the portal polls it. */
export const IngestJobFields = graphql(`
  fragment IngestJobFields on IngestJob { id fileName kind status percent records calls
  callsPerSecond report error { code message } }
`);
export type IngestJobView = ResultOf<typeof IngestJobFields>;

/** One ingest job's progress, polled while it runs. */
export const IngestJob = graphql(
  `
    query IngestJob($id: ID!) { ingestJob(id: $id) { ...IngestJobFields } }
  `,
  [IngestJobFields],
);

export const KINDS = [
  {
    code: 'VCF',
    label: 'Genotypes (VCF)',
    plain:
      'A VCF file, plain or gzip/bgzip compressed. Sample ids must be participant pseudonyms, or map them with a sample map.',
  },
  {
    code: 'PHENOTYPES',
    label: 'Phenotype table (CSV or TSV)',
    plain:
      'One row per observation: participant pseudonym, HPO or MONDO term, optional status and onset.',
  },
  {
    code: 'PHENOPACKETS',
    label: 'Phenopackets (JSON)',
    plain:
      'GA4GH Phenopackets v2, one packet or a list; the subject id is the participant pseudonym.',
  },
] as const;
