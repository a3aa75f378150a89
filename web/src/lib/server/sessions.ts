import type { RequestEvent } from '@sveltejs/kit';
import { graphql, type ResultOf } from '$lib/graphql/graphql';
import { api } from './api';
import { messageOf, signedIn } from './guard';
import { m } from '$lib/paraglide/messages';
import { Refusal, mutationAction } from './mutate';

/** Where the signed-in user is signed in. */
export const MySessions = graphql(`
  query MySessions { mySessions { id device amr createdAt lastSeenAt current } }
`);

const EndSession = graphql(
  `
    mutation EndSession($id: ID!) { endSession(id: $id) {
    ... on MutationEndSessionSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

/** One listed session. */
export type SignedInSession = ResultOf<typeof MySessions>['mySessions'][number];

/** The session list, or why it could not be read (the rest of the account page still works). */
export type SessionList =
  { sessions: SignedInSession[]; error: null } | { sessions: null; error: string };

/** Reads the session list without letting its failure take the account page down. */
export async function mySessionsOrError(
  fetchFn: typeof fetch,
  token: string,
): Promise<SessionList> {
  try {
    return { sessions: (await api(fetchFn, token, MySessions, {})).mySessions, error: null };
  } catch (e) {
    return { sessions: null, error: messageOf(e) };
  }
}

/**
 * The account page's "End" button: signs one other device out. The answer names the session so
 * the page shows its outcome beside it.
 */
export const sessionActions = {
  endSession: async ({ locals, request, fetch }: RequestEvent) => {
    const { token } = signedIn(locals);
    const sessionId = String((await request.formData()).get('sessionId') ?? '');
    return mutationAction(
      fetch,
      token,
      EndSession,
      { id: sessionId },
      {
        kept: { sessionId },
        done: () => ({ sessionNotice: m.sessions_ended() }),
        refusedMessage: (refusal) =>
          refusal.includes('not found') ? m.sessions_already_ended() : refusal,
      },
    );
  },
};
