// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Viewer } from '$lib/server/session';

declare global {
  namespace App {
    interface Locals {
      /** The signed-in user, read once per request in hooks.server.ts. */
      viewer: Viewer | null;
      /** The session token, forwarded to the API as a bearer token. */
      token: string | null;
      /** Why the route guard refused this page read (see `$lib/server/route-guard`). */
      denied?: string;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
