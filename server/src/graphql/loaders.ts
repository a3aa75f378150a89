import DataLoader from 'dataloader';
import { userProfiles, type UserProfile } from '../modules/accounts/user-profiles.js';
import { confirmedChainRecords, type ChainRecord } from '../modules/chain/confirmed-records.js';
import { datasetsByIds } from '../modules/datasets/datasets-by-id.js';
import type { DatasetRecord } from '../modules/datasets/datasets.service.js';
import type { GraphQLContext } from './context.js';

/** Batching loaders for fields resolved once per row (a list of studies, votes, matches). */
export interface Loaders {
  dataset: DataLoader<string, DatasetRecord | null>;
  userProfile: DataLoader<string, UserProfile | null>;
  /** By outbox event id (`grant:<id>`…). */
  chainRecord: DataLoader<string, ChainRecord | null>;
}

/** Answers each key's row, or null, in the keys' order (DataLoader's contract). */
function byId<T>(
  load: (ids: readonly string[]) => Promise<T[]>,
  keyOf: (row: T) => string = (row) => (row as { id: string }).id,
): (ids: readonly string[]) => Promise<(T | null)[]> {
  return async (ids) => {
    const rows = new Map((await load(ids)).map((row) => [keyOf(row), row]));
    return ids.map((id) => rows.get(id) ?? null);
  };
}

// One set per request: the context object lives exactly as long as the request, so the cache
// never serves one caller's reads to another and needs no wiring where contexts are built.
const perRequest = new WeakMap<GraphQLContext, Loaders>();

/** The request's loaders, created on first use. */
export function loaders(ctx: GraphQLContext): Loaders {
  let found = perRequest.get(ctx);
  if (!found) {
    found = {
      dataset: new DataLoader(byId((ids) => datasetsByIds(ctx.db, ids))),
      userProfile: new DataLoader(byId((ids) => userProfiles(ctx.db, ids))),
      chainRecord: new DataLoader(
        byId(
          (ids) => confirmedChainRecords(ctx.db, ids),
          (record) => record.eventId,
        ),
      ),
    };
    perRequest.set(ctx, found);
  }
  return found;
}

/** The rows found for `ids`, in their order, skipping absent ones; a failed load throws. */
export async function loadFound<T>(loader: DataLoader<string, T | null>, ids: readonly string[]) {
  const rows = await loader.loadMany(ids);
  const failed = rows.find((row) => row instanceof Error);
  if (failed) throw failed;
  return rows.filter((row): row is T => row !== null);
}
