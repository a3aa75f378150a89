import { fail } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf } from '$lib/server/guard';
import { mutate, statusOf } from '$lib/server/mutate';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** A notification as the page lists it. */
export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

function signedIn(locals: App.Locals): string {
  if (!locals.viewer || !locals.token) redirect(303, '/login');
  return locals.token;
}

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const token = signedIn(locals);
  try {
    const { myNotifications } = await apiText<{
      myNotifications: { items: NotificationView[]; unread: number };
    }>(
      fetch,
      `{ myNotifications(limit: 50) { items { id kind title body link createdAt readAt } unread } }`,
      {},
      token,
    );
    return { ...myNotifications, loadError: null };
  } catch (e) {
    return { items: [] as NotificationView[], unread: 0, loadError: messageOf(e) };
  }
};

export const actions: Actions = {
  read: async ({ locals, fetch, request }) => {
    const token = signedIn(locals);
    const id = String((await request.formData()).get('id') ?? '');
    try {
      const r = await mutate<{ id: string }>(
        fetch,
        token,
        { field: 'markNotificationRead', args: 'id: $id', vars: '$id: ID!', selection: 'id' },
        { id },
      );
      if (!r.ok) return fail(statusOf(r.code), { message: r.message });
      return { read: 1 };
    } catch (e) {
      return fail(502, { message: messageOf(e) });
    }
  },
  readAll: async ({ locals, fetch }) => {
    const token = signedIn(locals);
    try {
      const { markAllNotificationsRead } = await apiText<{ markAllNotificationsRead: number }>(
        fetch,
        `mutation { markAllNotificationsRead }`,
        {},
        token,
      );
      return { read: markAllNotificationsRead };
    } catch (e) {
      return fail(502, { message: messageOf(e) });
    }
  },
};
