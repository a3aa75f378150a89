import { messageOf, signedIn } from '$lib/server/guard';
import { myPasskeysOrNone } from '$lib/server/passkeys';
import { linkActions, participantLinking } from '$lib/server/participant-links';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, fetch }) => {
  // The route table lets participants only (links join a participant's own records).
  const { token } = signedIn(locals);
  const [passkeys, linking] = await Promise.all([
    myPasskeysOrNone(fetch, token),
    participantLinking(fetch, token).then(
      (value) => ({ value, message: null }),
      (e: unknown) => ({ value: null, message: messageOf(e) }),
    ),
  ]);
  return { passkeys, linking: linking.value, loadError: linking.message };
};

export const actions: Actions = linkActions;
