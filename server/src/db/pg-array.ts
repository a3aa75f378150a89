/**
 * PostgreSQL array literals for bulk writes through `unnest(...)`: one parameter per column
 * instead of one per value, so a batch of 100k rows is one statement on either driver.
 */

/** `{1,2,3}` for an int[] parameter. */
export function pgIntArray(values: ArrayLike<number>): string {
  return `{${Array.prototype.join.call(values, ',')}}`;
}

/** `{"a","b",NULL}` for a text[] parameter, with quotes and backslashes escaped. */
export function pgTextArray(values: readonly (string | null | undefined)[]): string {
  return `{${values.map((v) => (v == null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}
