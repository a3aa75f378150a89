import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Values (objects, list items, scalars) one request's variables may hold in all. The largest
 * legitimate input is a cohort at its limits (100 groups, 5,000 listed values): far below.
 */
export const MAX_VARIABLE_VALUES = 20_000;

/** True for `{…}` literals as JSON parsing makes them (an upload's File is not one). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * True when `variables` hold more than `max` values; counts without recursion and stops early.
 * Only arrays and plain objects are descended into: anything else (an uploaded File, whose
 * bytes would otherwise be counted one by one) is one value.
 */
export function exceedsValueCount(variables: unknown, max: number): boolean {
  const stack: unknown[] = [variables];
  let seen = 0;
  while (stack.length) {
    const v = stack.pop();
    seen += 1;
    if (seen > max) return true;
    if (Array.isArray(v)) {
      if (seen + v.length > max) return true;
      for (const item of v) stack.push(item);
    } else if (isPlainObject(v)) {
      for (const item of Object.values(v)) stack.push(item);
    }
  }
  return false;
}

/**
 * Refuses a request whose variables hold more than MAX_VARIABLE_VALUES values before GraphQL
 * coerces them: a 160,000-leaf criteria tree otherwise costs seconds of coercion before any
 * resolver can check its size. Answers a VALIDATION error, like an oversized argument.
 */
export function variablesLimitPlugin(max = MAX_VARIABLE_VALUES): Plugin {
  return {
    onParams({ params, setResult }) {
      if (params.variables && exceedsValueCount(params.variables, max))
        setResult({
          errors: [
            new GraphQLError(`Invalid input: the variables may hold at most ${max} values`, {
              extensions: { code: 'VALIDATION' },
            }),
          ],
        });
    },
  };
}
