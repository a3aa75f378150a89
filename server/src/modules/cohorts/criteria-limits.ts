import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/audit-hash.js';

/** Criteria groups (the top level, each `anyOf` alternative, each `not`) in one query. */
export const MAX_CRITERIA_NODES = 100;
/** Listed values (variants, genes, regions, terms, datasets) across the whole tree. */
export const MAX_CRITERIA_TERMS = 5_000;
/** Levels of nesting: the top level is 1. */
export const MAX_CRITERIA_DEPTH = 5;
/** Criteria whose canonical JSON is at most this long are kept whole in the audit event. */
export const AUDITED_CRITERIA_CHARS = 1_000;

const LIST_FIELDS = ['datasets', 'variants', 'genes', 'regions', 'phenotypes', 'diseases'] as const;

/** The size of a criteria tree: groups, listed values and nesting depth. */
export interface CriteriaSize {
  nodes: number;
  terms: number;
  depth: number;
}

/**
 * Measures raw (unvalidated) criteria without recursion, stopping as soon as a limit is passed:
 * a tree of 160,000 leaves or 1,000 levels costs a few steps, not a stack overflow or seconds
 * of work. Anything that is not an object is left for the schema to reject.
 */
export function measureCriteria(raw: unknown): CriteriaSize & { exceeded: boolean } {
  const size = { nodes: 0, terms: 0, depth: 0 };
  const stack: { node: unknown; depth: number }[] = [{ node: raw, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    size.nodes += 1;
    size.depth = Math.max(size.depth, depth);
    const c = node as Record<string, unknown>;
    for (const f of LIST_FIELDS) if (Array.isArray(c[f])) size.terms += (c[f] as unknown[]).length;
    if (
      size.nodes > MAX_CRITERIA_NODES ||
      size.terms > MAX_CRITERIA_TERMS ||
      size.depth > MAX_CRITERIA_DEPTH
    )
      return { ...size, exceeded: true };
    if (Array.isArray(c.anyOf)) {
      // More alternatives than nodes allowed: no need to look at them one by one.
      if (c.anyOf.length > MAX_CRITERIA_NODES) {
        size.nodes += c.anyOf.length;
        return { ...size, exceeded: true };
      }
      for (const child of c.anyOf as unknown[]) stack.push({ node: child, depth: depth + 1 });
    }
    if (c.not !== undefined) stack.push({ node: c.not, depth: depth + 1 });
  }
  return { ...size, exceeded: false };
}

/** Why raw criteria are too large, or null when they fit. */
export function criteriaLimitProblem(raw: unknown): string | null {
  const size = measureCriteria(raw);
  if (!size.exceeded) return null;
  if (size.depth > MAX_CRITERIA_DEPTH)
    return `criteria nest at most ${MAX_CRITERIA_DEPTH} levels deep`;
  if (size.nodes > MAX_CRITERIA_NODES)
    return `criteria may hold at most ${MAX_CRITERIA_NODES} groups (anyOf alternatives and not) in all`;
  return `criteria may list at most ${MAX_CRITERIA_TERMS} values in all`;
}

// Takes any object (validated CohortCriteria in practice): cohort-criteria.ts imports this file,
// so importing its type back would make a cycle.
/**
 * What the audit trail keeps of the criteria of a count: the SHA-256 of their canonical JSON
 * (so the board can match a repeated query) and their size; the criteria themselves only when
 * they are short. A large query is never copied into the trail.
 */
export function criteriaForAudit(criteria: object): Record<string, unknown> {
  const text = canonicalJson(criteria);
  const { nodes, terms, depth } = measureCriteria(criteria);
  return {
    criteriaDigest: createHash('sha256').update(text).digest('hex'),
    criteriaSummary: { nodes, terms, depth, chars: text.length },
    ...(text.length <= AUDITED_CRITERIA_CHARS && {
      criteria: JSON.parse(text) as Record<string, unknown>,
    }),
  };
}
