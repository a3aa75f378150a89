/**
 * The slice of a disease ontology (MONDO) the matcher needs. Injected so the matcher stays pure;
 * a database-backed implementation can answer the same two questions.
 */
export interface DiseaseOntology {
  /** Every is_a ancestor of `curie`, including `curie` itself; unknown terms yield only themselves. */
  ancestors(curie: string): ReadonlySet<string>;
  /** The term's label, when known. */
  label?(curie: string): string | undefined;
}

/** A subclass edge: `child` is_a `parent`. */
export type IsAEdge = readonly [child: string, parent: string];

/**
 * An ontology held in memory, built from is_a edges. Ancestor sets are computed once per term and
 * cached, since matching asks for the same few terms across many datasets.
 */
export function createInMemoryDiseaseOntology(
  edges: readonly IsAEdge[],
  labels: Readonly<Record<string, string>> = {},
): DiseaseOntology {
  const parents = new Map<string, string[]>();
  for (const [child, parent] of edges) {
    const list = parents.get(child) ?? [];
    list.push(parent);
    parents.set(child, list);
  }
  const cache = new Map<string, ReadonlySet<string>>();

  return {
    ancestors(curie) {
      const cached = cache.get(curie);
      if (cached) return cached;
      const seen = new Set<string>([curie]);
      const stack = [curie];
      // Iterative walk with a visited set: a cyclic import must not hang or overflow the stack.
      for (let term = stack.pop(); term !== undefined; term = stack.pop()) {
        for (const parent of parents.get(term) ?? []) {
          if (!seen.has(parent)) {
            seen.add(parent);
            stack.push(parent);
          }
        }
      }
      cache.set(curie, seen);
      return seen;
    },
    label(curie) {
      return Object.hasOwn(labels, curie) ? labels[curie] : undefined;
    },
  };
}

/** "colorectal cancer (MONDO:0005575)" when the label is known, else the bare CURIE. */
export function describeDisease(ontology: DiseaseOntology, curie: string): string {
  const label = ontology.label?.(curie);
  return label ? `${label} (${curie})` : curie;
}

/** A readable list of diseases for reasons. */
export function describeDiseases(ontology: DiseaseOntology, curies: readonly string[]): string {
  return curies.map((c) => describeDisease(ontology, c)).join(', ');
}
