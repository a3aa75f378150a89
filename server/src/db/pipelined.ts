/**
 * Runs independent statements of one transaction together and answers their results in order.
 * postgres.js sends a prepared statement without waiting for the answer to the one before, so
 * on a server database they cost one round trip instead of one each; PGlite runs them one after
 * the other.
 *
 * Only for statements whose order does not matter: each is a function, started in the order
 * given, but a drizzle query is sent when its `then` is called and an async helper sends its own
 * a microtask or more later, so the order they reach the server in is not promised.
 *
 * Every statement is settled before this answers, even when one fails: the transaction must not
 * roll back under a statement still running. The error thrown is the first in the order given
 * (a statement sent after a failed one fails too, the transaction being aborted; put the
 * statement whose error matters first).
 */
export async function pipelined<T extends readonly unknown[]>(
  statements: readonly [...{ [K in keyof T]: () => PromiseLike<T[K]> }],
): Promise<T> {
  const started: Promise<PromiseSettledResult<unknown>>[] = [];
  for (const statement of statements)
    started.push(
      new Promise((resolve) => {
        statement().then(
          (value) => resolve({ status: 'fulfilled', value }),
          (reason: unknown) => resolve({ status: 'rejected', reason }),
        );
      }),
    );
  const settled = await Promise.all(started);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
