import { json } from '@sveltejs/kit';
import { PasskeySignInOptions } from '$lib/server/login';
import { messageOf } from '$lib/server/guard';
import { mutate, statusOf } from '$lib/server/mutate';
import type { RequestHandler } from './$types';

/** The options for the browser's passkey prompt (a single-use challenge, five minutes). */
export const POST: RequestHandler = async ({ fetch }) => {
  let outcome;
  try {
    outcome = await mutate(fetch, null, PasskeySignInOptions, {});
  } catch (e) {
    return json({ message: messageOf(e) }, { status: 502 });
  }
  if (!outcome.ok) return json({ message: outcome.message }, { status: statusOf(outcome.code) });
  return json({ options: JSON.parse(outcome.data) as unknown });
};
