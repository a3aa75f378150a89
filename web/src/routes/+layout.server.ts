import { graphql } from '$lib/graphql/graphql';
import { readActingFor } from '$lib/server/acting-for';
import { api } from '$lib/server/api';
import type { LayoutServerLoad } from './$types';

const Unread = graphql(`
  query Unread { myNotifications(unreadOnly: true, limit: 1) { unread } }
`);

export const load: LayoutServerLoad = async ({ locals, fetch, url, cookies }) => {
  // Reading the path makes this run on every navigation, so the unread badge stays current.
  void url.pathname;
  let unread = 0;
  if (locals.viewer && locals.token) {
    try {
      unread = (await api(fetch, locals.token, Unread, {})).myNotifications.unread;
    } catch {
      // The badge is a convenience: a failing API shows on the page itself.
    }
  }
  const actingFor = locals.viewer?.role === 'participant' ? readActingFor(cookies) : null;
  return { viewer: locals.viewer, unread, actingFor };
};
