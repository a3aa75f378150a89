import { reachableTerms } from '../reachable-terms.js';
import { OboFormatError } from './obo-format-error.js';

/** `child` is_a `parent`. */
export interface IsAEdge {
  child: string;
  parent: string;
}

/**
 * The is_a hierarchy of an ontology, checked to be acyclic when built. Ancestor and descendant
 * sets include the term itself (as `OntologyGraph` in the ontology module does) and are cached.
 */
export class IsAGraph {
  private readonly parents = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();
  private readonly ancestorCache = new Map<string, ReadonlySet<string>>();
  private readonly descendantCache = new Map<string, ReadonlySet<string>>();

  /** Throws `OboFormatError` naming the terms of the first is_a cycle found. */
  constructor(edges: Iterable<IsAEdge>) {
    for (const { child, parent } of edges) {
      listOf(this.parents, child).push(parent);
      listOf(this.children, parent).push(child);
    }
    const cycle = findCycle(this.parents);
    if (cycle) {
      throw new OboFormatError(`is_a cycle: ${cycle.join(' → ')}`, { cycle });
    }
  }

  /** Direct parents. */
  parentsOf(curie: string): readonly string[] {
    return this.parents.get(curie) ?? [];
  }

  /** Direct children. */
  childrenOf(curie: string): readonly string[] {
    return this.children.get(curie) ?? [];
  }

  /** The term and all its is_a ancestors. */
  ancestorsOf(curie: string): ReadonlySet<string> {
    return reachableTerms(curie, this.parents, this.ancestorCache);
  }

  /** The term and all its is_a descendants. */
  descendantsOf(curie: string): ReadonlySet<string> {
    return reachableTerms(curie, this.children, this.descendantCache);
  }

  /** True when `term` is `ancestor` or lies below it. */
  subsumes(ancestor: string, term: string): boolean {
    return this.ancestorsOf(term).has(ancestor);
  }

  /** Every (term, proper ancestor) pair: rows for a closure table, if one is wanted. */
  *closure(terms: Iterable<string>): Generator<[term: string, ancestor: string]> {
    for (const t of terms) {
      for (const a of this.ancestorsOf(t)) if (a !== t) yield [t, a];
    }
  }
}

function listOf(map: Map<string, string[]>, key: string): string[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/**
 * Iterative depth-first search (MONDO is deep enough that recursion is a risk), three colours;
 * a grey node met again closes a cycle, read back from the path.
 */
function findCycle(parents: Map<string, string[]>): string[] | undefined {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<string, number>();
  for (const root of parents.keys()) {
    if ((colour.get(root) ?? WHITE) !== WHITE) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    colour.set(root, GREY);
    while (path.length) {
      const node = path[path.length - 1]!;
      const ps = parents.get(node) ?? [];
      const i = next[next.length - 1]!;
      if (i >= ps.length) {
        colour.set(node, BLACK);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const p = ps[i]!;
      const c = colour.get(p) ?? WHITE;
      if (c === GREY) return [...path.slice(path.indexOf(p)), p];
      if (c === WHITE) {
        colour.set(p, GREY);
        path.push(p);
        next.push(0);
      }
    }
  }
  return undefined;
}
