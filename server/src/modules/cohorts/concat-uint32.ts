/** The lists one after another in one array (for a bulk add or a sort over all of them). */
export function concatUint32(lists: readonly ArrayLike<number>[]): Uint32Array {
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const l of lists) {
    all.set(l, at);
    at += l.length;
  }
  return all;
}
