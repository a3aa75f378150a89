/** One phenotype or disease observation, ready for `phenotype_observations`. */
export interface PhenotypeObservation {
  /** Participant pseudonym (table) or phenopacket `subject.id`. */
  participant: string;
  /** Canonical CURIE, `HP:0001250` or `MONDO:0005148`. */
  term: string;
  /** False when the feature was looked for and excluded. */
  present: boolean;
  /** An ISO date (YYYY-MM-DD), an ISO 8601 age (P4Y6M), or an HPO onset term CURIE. */
  onset?: string;
}

/** Sex as the participants table stores it. */
export type ParticipantSex = 'female' | 'male' | 'other' | 'unknown';

/** What a file says about a participant besides phenotypes. */
export interface ParticipantDemographics {
  participant: string;
  sex?: ParticipantSex;
  birthYear?: number;
}

/** Options shared by the phenotype readers. */
export interface PhenotypeReadOptions {
  /** True when the canonical CURIE is a term of the imported ontologies (injected: no DB here). */
  knownTerm: (curie: string) => boolean;
}

/** Result of reading a phenotype file. */
export interface PhenotypeImport {
  observations: PhenotypeObservation[];
  /** From phenopackets; empty for tables (they carry no demographics). */
  participants: ParticipantDemographics[];
  /** Identical repeated observations dropped (the table's key is participant + term). */
  duplicates: number;
}
