/** True when `months` can serve as a grant length: a whole, positive number of months. */
export function isValidMonths(months: number | undefined): months is number {
  return months !== undefined && Number.isInteger(months) && months > 0;
}
