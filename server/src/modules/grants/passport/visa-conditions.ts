import type { VisaConditionClause, VisaConditions, VisaObject } from './visa-claims.js';

/**
 * Whether a visa's `conditions` hold against the other visas of a passport: some inner list all
 * of whose clauses are each matched by one of `others` (spec § conditions, disjunctive normal
 * form). An empty or absent condition list holds.
 */
export function conditionsMet(
  conditions: VisaConditions | undefined,
  others: VisaObject[],
): boolean {
  if (!conditions || conditions.length === 0) return true;
  return conditions.some((allOf) =>
    allOf.every((clause) => others.some((v) => clauseMatches(clause, v))),
  );
}

function clauseMatches(clause: VisaConditionClause, visa: VisaObject): boolean {
  return Object.entries(clause).every(([field, expected]) => {
    // `type` is compared as a constant and carries no prefix.
    if (field === 'type') return visa.type === expected;
    const actual = (visa as unknown as Record<string, unknown>)[field];
    if (typeof actual !== 'string' && typeof actual !== 'number') return false;
    return valueMatches(expected, String(actual));
  });
}

function valueMatches(expected: string, actual: string): boolean {
  const colon = expected.indexOf(':');
  const kind = expected.slice(0, colon);
  const operand = expected.slice(colon + 1);
  switch (kind) {
    case 'const':
      return actual === operand;
    case 'pattern':
      return patternRegExp(operand).test(actual);
    case 'split_pattern':
      return actual.split(';').some((part) => patternRegExp(operand).test(part));
    default:
      // An unknown match type cannot be confirmed, so the clause fails (spec: reject, not guess).
      return false;
  }
}

// Full-string, case-sensitive; `?` is one character, `*` any run; no escape character exists.
function patternRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}
