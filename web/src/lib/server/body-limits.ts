import { env } from '$env/dynamic/private';
import type { Viewer } from './session';

/** Any other form the portal accepts is far below this: 1 MiB. */
export const FORM_BODY_MAX_BYTES = 1024 * 1024;

/**
 * The largest upload in bytes: `UPLOAD_MAX_MB`, the same figure the API enforces (default
 * 256). adapter-node's BODY_SIZE_LIMIT must be at least this plus FORM_BODY_MAX_BYTES.
 */
export function uploadMaxBytes(): number {
  const mb = Number(env.UPLOAD_MAX_MB ?? 256);
  return (Number.isFinite(mb) && mb > 0 ? mb : 256) * 1024 * 1024;
}

/** The routes that take a file, and who may send one. Every other route gets the small limit. */
const UPLOAD_ROUTES: Record<string, readonly Viewer['role'][]> = {
  '/datasets/[id]': ['steward', 'admin'],
  '/studies/new': ['researcher'],
  '/studies/[id]': ['researcher'],
  '/studies/[id]/request': ['researcher'],
  '/record/genotype': ['participant'],
};

/**
 * The largest body this request may have: the upload limit on an upload route for a signed-in
 * user who may upload there, the small form limit everywhere else (sign-in included), so an
 * anonymous caller can never make the portal hold more than a megabyte.
 */
export function bodyLimitFor(routeId: string | null, viewer: Viewer | null): number {
  const roles = routeId ? UPLOAD_ROUTES[routeId] : undefined;
  return roles && viewer && roles.includes(viewer.role)
    ? uploadMaxBytes() + FORM_BODY_MAX_BYTES
    : FORM_BODY_MAX_BYTES;
}
