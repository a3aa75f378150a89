import type { Database } from '../db/database.js';
import type { Route } from './router.js';

/**
 * The standard (non-GraphQL) endpoints: each domain adds its route here. Handlers take a Fetch
 * API Request and return a Response, so tests call them without a port.
 */
export function standardRoutes(_db: Database): Route[] {
  return [];
}
