import { fileURLToPath } from 'node:url';

/**
 * The curated HPO and MONDO subsets shipped under server/data/ontology (see its README). The
 * path is the same from src/ and from dist/, both four levels below server/.
 */
export const SHIPPED_ONTOLOGY_FILES = {
  HP: fileURLToPath(new URL('../../../../data/ontology/hp-subset.obo', import.meta.url)),
  MONDO: fileURLToPath(new URL('../../../../data/ontology/mondo-subset.obo', import.meta.url)),
} as const;
