import { json } from '@sveltejs/kit';
import { PasskeySignInOptions } from '$lib/server/login';
import { mutate, statusOf } from '$lib/server/mutate';
import type { RequestHandler } from './$types';

/** The options for the browser's passkey prompt (a single-use challenge, five minutes). */
export const POST: RequestHandler = async ({ fetch }) => {
  const outcome = await mutate(fetch, null, PasskeySignInOptions, {});
  if (!outcome.ok) return json({ message: outcome.message }, { status: statusOf(outcome.code) });
  return json({ options: JSON.parse(outcome.data) as unknown });
};
