import { error, redirect } from '@sveltejs/kit';
import type { Viewer } from './session';

/** Who may open a page: signed-in users of the given roles. Others are sent away or refused. */
export function requireRole(
  locals: App.Locals,
  roles: readonly Viewer['role'][],
  what: string,
): { viewer: Viewer; token: string } {
  if (!locals.viewer || !locals.token) redirect(303, '/login');
  if (!roles.includes(locals.viewer.role))
    error(403, { message: `Your role cannot open ${what}.`, code: 'FORBIDDEN' });
  return { viewer: locals.viewer, token: locals.token };
}

/** A message to show for a failed API call. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : 'Unexpected error.';
}
