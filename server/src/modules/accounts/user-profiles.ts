import { inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { users } from './accounts.tables.js';

/** What other users may see of an account: its name and institution. */
export interface UserProfile {
  id: string;
  displayName: string;
  institution: string | null;
}

/** The profiles of these accounts, in one query (absent ids are simply missing). */
export function userProfiles(db: Queryable, ids: readonly string[]): Promise<UserProfile[]> {
  return ids.length
    ? db
        .select({ id: users.id, displayName: users.displayName, institution: users.institution })
        .from(users)
        .where(inArray(users.id, [...ids]))
    : Promise.resolve([]);
}
