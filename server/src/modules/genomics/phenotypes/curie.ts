import { PhenotypeFormatError } from './phenotype-format-error.js';

const CURIE = /^(HP|MONDO)[:_](\d{7})$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const ISO_AGE = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;

/** `hp_0001250`, `HP:0001250` → `HP:0001250`; undefined when it is not an HP/MONDO CURIE. */
export function canonicalCurie(text: string): string | undefined {
  const m = CURIE.exec(text.trim());
  return m ? `${m[1]!.toUpperCase()}:${m[2]}` : undefined;
}

/** A term checked for form and for being known, or a PhenotypeFormatError. */
export function checkedTerm(
  text: string,
  knownTerm: (curie: string) => boolean,
  line?: number,
): string {
  const curie = canonicalCurie(text);
  if (!curie) {
    throw new PhenotypeFormatError(
      `"${text}" is not an HPO or MONDO CURIE (e.g. HP:0001250)`,
      line,
    );
  }
  if (!knownTerm(curie))
    throw new PhenotypeFormatError(`term ${curie} is not in the ontology`, line);
  return curie;
}

/**
 * A normalised onset: a calendar date (time of day dropped), an ISO 8601 age, or a known HPO
 * term. Anything else fails rather than being stored as free text.
 */
export function checkedOnset(
  text: string,
  knownTerm: (curie: string) => boolean,
  line?: number,
): string {
  const value = text.trim();
  const date = ISO_DATE.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d) {
      return `${date[1]}-${date[2]}-${date[3]}`;
    }
    throw new PhenotypeFormatError(`onset "${text}" is not a real date`, line);
  }
  if (ISO_AGE.test(value)) return value;
  const curie = canonicalCurie(value);
  if (curie?.startsWith('HP:')) return checkedTerm(curie, knownTerm, line);
  throw new PhenotypeFormatError(
    `onset "${text}" is neither an ISO date, an ISO 8601 age (P4Y) nor an HPO onset term`,
    line,
  );
}
