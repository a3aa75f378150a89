import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { pgTextArray } from '../../db/pg-array.js';
import { ValidationError } from '../../errors/app-errors.js';
import { hasRole, type Actor } from '../actors/actor.js';
import { ForbiddenError } from '../../errors/app-errors.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { recordCohortChange } from '../cohort-changes/cohort-changes.js';
import { OboFormatError } from './obo/obo-format-error.js';
import { readOboFile } from './obo/parse-obo.js';
import { SHIPPED_ONTOLOGY_FILES } from './obo/shipped-subsets.js';
import { ontologyTerms } from './ontology.tables.js';

/** What an ontology import did. */
export interface OntologyImportReport {
  terms: number;
  edges: number;
  skipped: Record<string, number>;
  dataVersion: string | null;
}

/** Ontologies are imported by stewards and admins (or an operator at the CLI). */
function assertCanImport(actor: Actor | null): void {
  if (actor?.kind === 'system' || hasRole(actor, 'steward', 'admin')) return;
  throw new ForbiddenError('Only stewards and administrators can import ontologies');
}

/**
 * Imports an OBO file (HPO or MONDO): terms are upserted (labels and obsolete flags updated),
 * and each imported term's is_a edges replaced, in one transaction. A file with an is_a cycle
 * is refused before anything is written.
 */
export async function importOntology(
  db: Database,
  actor: Actor | null,
  path: string,
): Promise<OntologyImportReport> {
  assertCanImport(actor);
  const parsed = await readOboFile(path).catch((error: unknown) => {
    if (error instanceof OboFormatError)
      throw new ValidationError(error.message, [{ field: 'file', message: error.message }]);
    throw error;
  });
  await db.transaction(async (tx) => {
    const t = parsed.terms;
    if (t.length) {
      await tx.execute(sql`insert into ontology_terms (curie, ontology, label, obsolete)
        select * from unnest(${pgTextArray(t.map((x) => x.curie))}::text[], ${pgTextArray(t.map((x) => x.ontology))}::text[],
                             ${pgTextArray(t.map((x) => x.label))}::text[], ${`{${t.map((x) => x.obsolete).join(',')}}`}::boolean[])
        on conflict (curie) do update set label = excluded.label, obsolete = excluded.obsolete, ontology = excluded.ontology`);
      await tx.execute(
        sql`delete from ontology_parents where child = any(${pgTextArray(t.map((x) => x.curie))}::text[])`,
      );
    }
    const e = parsed.edges;
    if (e.length) {
      await tx.execute(sql`insert into ontology_parents (child, parent)
        select * from unnest(${pgTextArray(e.map((x) => x.child))}::text[], ${pgTextArray(e.map((x) => x.parent))}::text[])
        on conflict do nothing`);
    }
    await recordCohortChange(tx, 'ontology', path.split('/').pop() ?? 'obo');
    await appendAuditEvent(tx, actor, {
      action: 'ontology.import',
      payload: { terms: t.length, edges: e.length, dataVersion: parsed.dataVersion ?? null },
    });
  });
  return {
    terms: parsed.terms.length,
    edges: parsed.edges.length,
    skipped: parsed.skipped as Record<string, number>,
    dataVersion: parsed.dataVersion ?? null,
  };
}

/** Imports the shipped HPO and MONDO subsets when the database has no terms yet (first start). */
export async function ensureShippedOntologies(db: Database, actor: Actor): Promise<boolean> {
  const [any] = await db.select({ curie: ontologyTerms.curie }).from(ontologyTerms).limit(1);
  if (any) return false;
  await importOntology(db, actor, SHIPPED_ONTOLOGY_FILES.HP);
  await importOntology(db, actor, SHIPPED_ONTOLOGY_FILES.MONDO);
  return true;
}
