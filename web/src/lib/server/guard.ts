import { error, redirect } from '@sveltejs/kit';
import type { Viewer } from './session';

/**
 * The viewer and token of a request that the route guard in hooks.server.ts let through. Who
 * may open what is decided there, from the table in `$lib/access`; a page read the guard
 * refused learns it here, so the refusal shows in the portal's error page.
 */
export function signedIn(locals: App.Locals): { viewer: Viewer; token: string } {
  if (locals.denied) error(403, { message: locals.denied, code: 'FORBIDDEN' });
  if (!locals.viewer || !locals.token) redirect(303, '/login');
  return { viewer: locals.viewer, token: locals.token };
}

/** A message to show for a failed API call. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : 'Unexpected error.';
}
