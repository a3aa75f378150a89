import { json } from '@sveltejs/kit';
import { SignInWithPasskey } from '$lib/server/login';
import { messageOf } from '$lib/server/guard';
import { mutate, statusOf } from '$lib/server/mutate';
import { keepOpenedSession } from '$lib/server/session';
import type { RequestHandler } from './$types';

/** Signs in with the browser's passkey answer and sets the session cookie, as the form does. */
export const POST: RequestHandler = async ({ request, fetch, cookies, url }) => {
  let body: { response?: unknown };
  try {
    body = (await request.json()) as { response?: unknown };
  } catch {
    return json({ message: 'Expected the passkey’s answer.' }, { status: 400 });
  }
  let outcome;
  try {
    outcome = await mutate(fetch, null, SignInWithPasskey, {
      response: JSON.stringify(body.response ?? null),
    });
  } catch (e) {
    return json({ message: messageOf(e) }, { status: 502 });
  }
  if (!outcome.ok) return json({ message: outcome.message }, { status: statusOf(outcome.code) });
  keepOpenedSession(cookies, url, outcome.data);
  return json({ ok: true });
};
