import type { Queryable } from '../../db/database.js';
import { ontologyParents, ontologyTerms } from './ontology.tables.js';
import { reachableTerms } from './reachable-terms.js';

/**
 * HPO and MONDO in memory: labels and is_a edges, with descendant and ancestor sets computed on
 * first use and cached. Imports reject cycles, so the walks terminate.
 */
export class OntologyGraph {
  private readonly children = new Map<string, string[]>();
  private readonly parents = new Map<string, string[]>();
  private readonly descendantCache = new Map<string, ReadonlySet<string>>();
  private readonly ancestorCache = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly labels: ReadonlyMap<string, string>,
    edges: Iterable<{ child: string; parent: string }>,
  ) {
    for (const { child, parent } of edges) {
      (this.children.get(parent) ?? this.children.set(parent, []).get(parent)!).push(child);
      (this.parents.get(child) ?? this.parents.set(child, []).get(child)!).push(parent);
    }
  }

  /** Loads every term and edge from the database. */
  static async load(db: Queryable): Promise<OntologyGraph> {
    const terms = await db
      .select({ curie: ontologyTerms.curie, label: ontologyTerms.label })
      .from(ontologyTerms);
    const edges = await db.select().from(ontologyParents);
    return new OntologyGraph(new Map(terms.map((t) => [t.curie, t.label])), edges);
  }

  /** True when the term is known. */
  has(curie: string): boolean {
    return this.labels.has(curie);
  }

  /** The term's label. */
  label(curie: string): string | undefined {
    return this.labels.get(curie);
  }

  /** Number of terms. */
  get size(): number {
    return this.labels.size;
  }

  /** Every term, with its label. */
  terms(): IterableIterator<[string, string]> {
    return this.labels.entries();
  }

  /** The term and everything below it (is_a, transitively). */
  descendants(curie: string): ReadonlySet<string> {
    return reachableTerms(curie, this.children, this.descendantCache);
  }

  /** The term and everything above it (is_a, transitively). */
  ancestors(curie: string): ReadonlySet<string> {
    return reachableTerms(curie, this.parents, this.ancestorCache);
  }
}
