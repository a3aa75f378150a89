/** An ingest job as the portal polls it. */
export interface IngestJobView {
  id: string;
  fileName: string;
  kind: string;
  status: 'running' | 'completed' | 'failed';
  percent: number | null;
  records: number;
  calls: number;
  callsPerSecond: number;
  report: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

export const JOB_FIELDS = `id fileName kind status percent records calls callsPerSecond report error { code message }`;

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
