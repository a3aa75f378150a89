import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const Notifications = graphql(`
  query Notifications { myNotifications(limit: 50) { items { id kind title body link createdAt
  readAt } unread } }
`);

const MarkNotificationRead = graphql(
  `
    mutation MarkNotificationRead($id: ID!) { markNotificationRead(id: $id) {
    ... on MutationMarkNotificationReadSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const MarkAllNotificationsRead = graphql(`
  mutation MarkAllNotificationsRead { markAllNotificationsRead }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { myNotifications } = await loadOrFail(fetch, token, Notifications, {});
  return myNotifications;
};

export const actions: Actions = {
  read: async ({ locals, fetch, request }) => {
    const id = String((await request.formData()).get('id') ?? '');
    return mutationAction(
      fetch,
      signedIn(locals).token,
      MarkNotificationRead,
      { id },
      {
        kept: {},
        done: () => ({ read: 1 }),
      },
    );
  },
  /** Not a typed-error mutation: it answers how many it marked. */
  readAll: async ({ locals, fetch }) => {
    try {
      const r = await api(fetch, signedIn(locals).token, MarkAllNotificationsRead, {});
      return { read: r.markAllNotificationsRead };
    } catch (e) {
      return fail(502, { message: messageOf(e) });
    }
  },
};
