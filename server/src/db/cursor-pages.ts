import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from './database.js';
import { queryRows } from './query-rows.js';

let cursors = 0;

/**
 * Reads a query's rows a page at a time through a server-side cursor (`DECLARE … CURSOR`, inside
 * the caller's transaction, on either driver), so memory holds one page however many rows the
 * query has. The next page is fetched while the caller works on this one. The cursor is closed
 * when the loop ends, early exits included.
 */
export async function* cursorPages<T extends Record<string, unknown>>(
  tx: Tx,
  query: SQL,
  pageSize = 8192,
): AsyncGenerator<T[]> {
  // Unique per process, so nested or successive cursors in one transaction never collide.
  const name = sql.raw(`consentome_cursor_${++cursors}`);
  await tx.execute(sql`declare ${name} no scroll cursor for ${query}`);
  const fetchPage = () => {
    const page = queryRows<T>(tx, sql`fetch forward ${sql.raw(String(pageSize))} from ${name}`);
    // Awaited in its turn; until then a failure must not count as unhandled.
    page.catch(() => {});
    return page;
  };
  let next: Promise<T[]> | null = fetchPage();
  let done = false;
  try {
    while (next) {
      const page: T[] = await next;
      next = page.length === pageSize ? fetchPage() : null;
      if (page.length) yield page;
    }
    done = true;
  } finally {
    // An early exit leaves a fetch under way: let it settle before the cursor goes.
    if (next) await next.catch(() => {});
    const close = tx.execute(sql`close ${name}`);
    // After a failure the transaction may be aborted already: its error is the one to report.
    if (done) await close;
    else await close.catch(() => {});
  }
}
