import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { decideAccess } from '$lib/access';

/** The form action a POST names (`?/name`), `default` for a plain POST, null for a read. */
function actionOf(event: RequestEvent): string | null {
  if (event.request.method === 'GET' || event.request.method === 'HEAD') return null;
  const named = [...event.url.searchParams.keys()].find((k) => k.startsWith('/'));
  return named ? named.slice(1) : 'default';
}

/**
 * Applies the route table of `$lib/access` to one request, after the session is read. A
 * signed-out visitor of a private route is sent to sign-in (a data endpoint answers 401);
 * SvelteKit turns the thrown redirect into the right answer for page loads, data requests and
 * enhanced form posts alike. A role the table does not allow keeps no token, so nothing reaches
 * the API in its name, and `signedIn` answers 403 where the route asks for its session: in the
 * portal's own error page for a page, as an error result for a form action.
 */
export function guardRoute(event: RequestEvent): void {
  const action = actionOf(event);
  const decision = decideAccess(event.route.id, event.locals.viewer?.role ?? null, action);
  if (decision.kind === 'allow') return;
  if (decision.kind === 'sign-in') {
    if (decision.polled) error(401, { message: 'Sign in first.', code: 'UNAUTHENTICATED' });
    redirect(303, '/login');
  }
  event.locals.token = null;
  event.locals.denied = decision.message;
}
