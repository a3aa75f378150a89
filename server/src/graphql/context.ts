import type { AppServices } from '../app/app-services.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { UserActor } from '../modules/accounts/actor.js';

/** Per-request GraphQL context. */
export interface GraphQLContext {
  db: Database;
  config: Config;
  /** The per-process services, built once at start-up (`createAppServices`). */
  services: AppServices;
  /** The signed-in user, or null for an anonymous caller. */
  viewer: UserActor | null;
  /** Identifies the client for rate limiting (address as seen, or behind a trusted proxy). */
  clientKey: string;
  /** True when the request arrived over TLS (directly or via a trusted proxy). */
  secure: boolean;
  /** Set-Cookie values the response must carry (login, logout). */
  setCookies: string[];
}
