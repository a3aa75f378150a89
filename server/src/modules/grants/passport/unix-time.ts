/** Seconds since the epoch (JWT NumericDate) of a Date or of a value already in seconds. */
export function unixSeconds(time: Date | number): number {
  return typeof time === 'number' ? Math.floor(time) : Math.floor(time.getTime() / 1000);
}
