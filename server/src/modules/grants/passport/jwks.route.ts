import type { Queryable } from '../../../db/database.js';
import type { Route } from '../../../http/router.js';
import { JWKS_PATH } from './jwks-url.js';
import { publicJwks } from './signing-key.js';

/**
 * `GET /.well-known/jwks.json`: the public keys that verify our visas and passports (the `jku`
 * of every visa). Public and cacheable for five minutes, so a rotated-in key is seen quickly.
 */
export function jwksRoute(db: Queryable): Route {
  return {
    prefix: JWKS_PATH,
    handler: async (request) => {
      // The router also hands us sub-paths of the prefix; only the exact path exists.
      if (new URL(request.url).pathname !== JWKS_PATH)
        return Response.json({ error: 'not found' }, { status: 404 });
      if (request.method !== 'GET')
        return Response.json(
          { error: 'method not allowed' },
          { status: 405, headers: { Allow: 'GET' } },
        );
      return new Response(JSON.stringify(await publicJwks(db)), {
        headers: {
          'Content-Type': 'application/json',
          'Cache-Control': 'public, max-age=300',
        },
      });
    },
  };
}
