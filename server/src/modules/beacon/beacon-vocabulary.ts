/**
 * Fixed Beacon v2 vocabulary this beacon speaks: versions, entry types, granularities and the
 * NCIT sex terms. The framework and model versions are those of the schemas the tests validate
 * against (test-fixtures/beacon-v2, commit below).
 */

/** Beacon API version reported in every `meta`. */
export const BEACON_API_VERSION = 'v2.0.0';

/** The ga4gh-beacon/beacon-v2 commit whose schemas this implementation follows. */
export const BEACON_SPEC_COMMIT = '47af89c8fd199d2674e5ca7fb504815ebc145e63';

/** The spec's framework schemas at that commit, for `$schema` values. */
export const FRAMEWORK_BASE = `https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/${BEACON_SPEC_COMMIT}/framework/json`;

const MODEL_BASE = `https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/${BEACON_SPEC_COMMIT}/models/json/beacon-v2-default-model`;

/** Response detail levels (Beacon `Granularity`). */
export const GRANULARITIES = ['boolean', 'count', 'record'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Which result sets a response lists (Beacon `IncludeResultsetResponses`). */
export const RESULTSET_INCLUSIONS = ['ALL', 'HIT', 'MISS', 'NONE'] as const;
export type ResultsetInclusion = (typeof RESULTSET_INCLUSIONS)[number];

/** The entry types this beacon answers queries for. */
export type BeaconEntryType = 'individual' | 'genomicVariant';

/** Per entry type: its default-model schema and what `/entry_types` says about it. */
export const ENTRY_TYPES: Record<
  BeaconEntryType,
  {
    name: string;
    description: string;
    path: string;
    schemaId: string;
    schemaUrl: string;
    ontologyTerm: { id: string; label: string };
    nonFilteredQueriesAllowed: boolean;
  }
> = {
  individual: {
    name: 'Individual',
    description:
      'A consenting participant. Only participants who allow discovery are counted; withdrawn participants never are.',
    path: 'individuals',
    schemaId: 'ga4gh-beacon-individual-v2.0.0',
    schemaUrl: `${MODEL_BASE}/individuals/defaultSchema.json`,
    ontologyTerm: { id: 'NCIT:C25190', label: 'Person' },
    nonFilteredQueriesAllowed: true,
  },
  genomicVariant: {
    name: 'Genomic Variants',
    description:
      'Genomic variants (VCF alleles). Counts are of the participants carrying them, never of records.',
    path: 'g_variants',
    schemaId: 'ga4gh-beacon-variant-v2.0.0',
    schemaUrl: `${MODEL_BASE}/genomicVariations/defaultSchema.json`,
    ontologyTerm: { id: 'ENSGLOSSARY:0000092', label: 'Variant' },
    // A query without an allele, range or gene would merely count everyone with any variant.
    nonFilteredQueriesAllowed: false,
  },
};

/**
 * Sex filters as the Beacon default model recommends (NCIT General Qualifier NCIT:C27993):
 * female NCIT:C16576, male NCIT:C20197, unknown NCIT:C17998. NCIT:C17649 ("Other") is not in
 * that list but is the NCIT term for the platform's fourth value.
 */
export const SEX_TERMS: Record<
  string,
  { sex: 'female' | 'male' | 'other' | 'unknown'; label: string }
> = {
  'NCIT:C16576': { sex: 'female', label: 'female' },
  'NCIT:C20197': { sex: 'male', label: 'male' },
  'NCIT:C17998': { sex: 'unknown', label: 'unknown' },
  'NCIT:C17649': { sex: 'other', label: 'Other' },
};

/** Ontologies whose terms can be used as filters, as `/filtering_terms` resources. */
export const FILTER_RESOURCES = [
  {
    id: 'hp',
    name: 'Human Phenotype Ontology',
    url: 'http://purl.obolibrary.org/obo/hp.owl',
    nameSpacePrefix: 'HP',
    iriPrefix: 'http://purl.obolibrary.org/obo/HP_',
  },
  {
    id: 'mondo',
    name: 'Mondo Disease Ontology',
    url: 'http://purl.obolibrary.org/obo/mondo.owl',
    nameSpacePrefix: 'MONDO',
    iriPrefix: 'http://purl.obolibrary.org/obo/MONDO_',
  },
  {
    id: 'ncit',
    name: 'NCI Thesaurus',
    url: 'http://purl.obolibrary.org/obo/ncit.owl',
    nameSpacePrefix: 'NCIT',
    iriPrefix: 'http://purl.obolibrary.org/obo/NCIT_',
  },
];
