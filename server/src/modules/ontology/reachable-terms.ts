/**
 * The term and every term reachable from it along `next` (children, or parents), memoised in
 * `cache`. Iterative, since MONDO is deep enough that recursion is a risk.
 */
export function reachableTerms(
  start: string,
  next: ReadonlyMap<string, readonly string[]>,
  cache: Map<string, ReadonlySet<string>>,
): ReadonlySet<string> {
  const hit = cache.get(start);
  if (hit) return hit;
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  cache.set(start, seen);
  return seen;
}
