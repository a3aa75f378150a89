import type { Sql } from 'postgres';

/**
 * The postgres.js client with every parameterised query run as a named prepared statement,
 * cached per connection by its text and parameter types.
 *
 * Why: drizzle runs its queries through `unsafe(..., { prepare: false })`, and postgres.js sends
 * an unprepared query with parameters as two round trips (describe the parameter types, then
 * bind and execute). A request is a handful of small queries, so those round trips were most of
 * its time (issue #19: per-request overhead). Prepared, a query seen before on a connection is
 * one round trip. postgres.js re-prepares a statement that a schema change invalidated, and
 * connections (with their statements) are recycled after their maximum lifetime.
 *
 * A connection pooler in transaction mode that cannot keep prepared statements (PgBouncer before
 * 1.21) needs `DATABASE_PREPARE=false`.
 */
export function preparingClient(sql: Sql): Sql {
  return wrap(sql);
}

function wrap<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'unsafe' && typeof value === 'function') {
        return (query: string, args?: unknown[], options?: Record<string, unknown>) =>
          (value as (...a: unknown[]) => unknown).call(target, query, args ?? [], {
            ...options,
            prepare: true,
          });
      }
      if ((property === 'begin' || property === 'savepoint') && typeof value === 'function') {
        // The transaction's own client (a reserved connection) is handed to the callback.
        return (...params: unknown[]) => {
          const last = params.length - 1;
          const fn = params[last] as (inner: Sql) => unknown;
          params[last] = (inner: Sql) => fn(wrap(inner));
          return (value as (...a: unknown[]) => unknown).apply(target, params);
        };
      }
      return value;
    },
  });
}
