import { fail, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { clearActingFor, setActingFor } from '$lib/server/acting-for';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const Represented = graphql(`
  query Represented { myRepresentedParticipants { participantId name relationship endsOn } }
`);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { myRepresentedParticipants } = await loadOrFail(fetch, token, Represented, {});
  return { represented: myRepresentedParticipants };
};

export const actions: Actions = {
  /** Starts acting for someone the API says the user represents today. */
  act: async ({ locals, fetch, request, cookies, url }) => {
    const { token } = signedIn(locals);
    const participantId = String((await request.formData()).get('participantId') ?? '');
    let represented;
    try {
      represented = (await api(fetch, token, Represented, {})).myRepresentedParticipants;
    } catch (e) {
      return fail(502, { message: messageOf(e) });
    }
    const chosen = represented.find((r) => r.participantId === participantId);
    if (!chosen) return fail(404, { message: m.acting_for_not_represented() });
    setActingFor(cookies, { participantId, name: chosen.name }, url.protocol === 'https:');
    redirect(303, '/consent');
  },
  /** Back to acting for oneself. */
  stop: async ({ cookies, url }) => {
    clearActingFor(cookies, url.protocol === 'https:');
    redirect(303, '/');
  },
};
