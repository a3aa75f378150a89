import { fail, type RequestEvent } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { m } from '$lib/paraglide/messages';
import { api } from './api';
import { messageOf, signedIn } from './guard';
import { Refusal, mutate, statusOf, type MutationOutcome } from './mutate';

/** The participant's links with their records at other member sites, and the sites to pick. */
export const ParticipantLinking = graphql(`
  query ParticipantLinking { participantLinking { site { id name } sites { id name }
  links { code role status since site { id name } } } }
`);

const OfferChallenge = graphql(
  `
    mutation ParticipantLinkOfferChallenge($to: String!) { participantLinkOfferChallenge(toMember: $to) {
    ... on MutationParticipantLinkOfferChallengeSuccess { data { challenge code member memberName } }
    ...Refusal } }
  `,
  [Refusal],
);

const Offer = graphql(
  `
    mutation OfferParticipantLink($to: String!, $c: String!, $s: String!) {
    offerParticipantLink(toMember: $to, code: $c, signature: $s) {
    ... on MutationOfferParticipantLinkSuccess { data { code member } } ...Refusal } }
  `,
  [Refusal],
);

const AcceptChallenge = graphql(
  `
    mutation ParticipantLinkAcceptChallenge($c: String!) { participantLinkAcceptChallenge(code: $c) {
    ... on MutationParticipantLinkAcceptChallengeSuccess { data { challenge code member memberName } }
    ...Refusal } }
  `,
  [Refusal],
);

const Accept = graphql(
  `
    mutation AcceptParticipantLink($c: String!, $s: String!) {
    acceptParticipantLink(code: $c, signature: $s) {
    ... on MutationAcceptParticipantLinkSuccess { data { code member } } ...Refusal } }
  `,
  [Refusal],
);

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** What the participant is told when the API refuses a link code. */
function codeMessage(outcome: { code: string; message: string }): string {
  if (outcome.code === 'NOT_FOUND') return m.links_code_unknown();
  if (/already used/.test(outcome.message)) return m.links_code_used();
  if (/expired/.test(outcome.message)) return m.links_code_expired();
  if (outcome.code === 'VALIDATION' && /link code/.test(outcome.message))
    return m.links_code_malformed();
  return outcome.message;
}

/** Runs one link mutation for an action: its data, or `fail(status, { message })`. */
async function run<T>(
  call: () => Promise<MutationOutcome<T>>,
  explain: (o: { code: string; message: string }) => string = (o) => o.message,
) {
  try {
    const outcome = await call();
    if (outcome.ok) return { result: outcome.data };
    return fail(statusOf(outcome.code), { message: explain(outcome) });
  } catch (e) {
    return fail(502, { message: messageOf(e) });
  }
}

/**
 * The link page's actions. Each link takes two browser steps (a passkey prompt between them),
 * so the browser calls these one by one (`callAction` in `$lib/passkey-browser`).
 */
export const linkActions = {
  offerChallenge: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const to = text(await request.formData(), 'member');
    if (!to) return fail(400, { message: m.links_pick_site() });
    return run(() => mutate(fetch, token, OfferChallenge, { to }));
  },
  offer: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    return run(() =>
      mutate(fetch, token, Offer, {
        to: text(form, 'member'),
        c: text(form, 'code'),
        s: text(form, 'response'),
      }),
    );
  },
  acceptChallenge: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const code = text(await request.formData(), 'code').toLowerCase();
    if (!code) return fail(400, { message: m.links_code_missing() });
    if (!/^[0-9a-f]{64}$/.test(code)) return fail(400, { message: m.links_code_malformed() });
    return run(() => mutate(fetch, token, AcceptChallenge, { c: code }), codeMessage);
  },
  accept: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    return run(
      () => mutate(fetch, token, Accept, { c: text(form, 'code'), s: text(form, 'response') }),
      codeMessage,
    );
  },
};

/** The participant's linking state for the page's load. */
export async function participantLinking(fetchFn: typeof fetch, token: string) {
  return (await api(fetchFn, token, ParticipantLinking, {})).participantLinking;
}
