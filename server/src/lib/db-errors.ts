/** True when a database error is a unique-constraint violation (SQLSTATE 23505), whichever driver. */
export function isUniqueViolation(error: unknown): boolean {
  for (
    let e: unknown = error;
    e !== null && typeof e === 'object';
    e = (e as { cause?: unknown }).cause
  ) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
