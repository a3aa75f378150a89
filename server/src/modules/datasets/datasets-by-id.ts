import { inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { datasets } from './datasets.tables.js';
import type { DatasetRecord } from './datasets.service.js';

/** The datasets with these ids, in one query (absent ids are simply missing). */
export function datasetsByIds(db: Queryable, ids: readonly string[]): Promise<DatasetRecord[]> {
  return ids.length
    ? db
        .select()
        .from(datasets)
        .where(inArray(datasets.id, [...ids]))
    : Promise.resolve([]);
}
