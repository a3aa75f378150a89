import { fail, type RequestEvent } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { PasskeyFields, type Passkey } from '$lib/graphql/fragments';
import { ApiRequestError, api } from './api';
import { messageOf, signedIn } from './guard';
import { Refusal, mutate, statusOf, type MutationOutcome } from './mutate';

/** The signed-in participant's passkeys. */
export const MyPasskeys = graphql(
  `
    query MyPasskeys { myPasskeys { ...PasskeyFields } }
  `,
  [PasskeyFields],
);

/**
 * The signed-in participant's passkeys; none for an account without a participant record (the
 * API answers NOT_FOUND then), so pages that work without one keep working.
 */
export async function myPasskeysOrNone(fetchFn: typeof fetch, token: string): Promise<Passkey[]> {
  try {
    return (await api(fetchFn, token, MyPasskeys, {})).myPasskeys;
  } catch (e) {
    if (e instanceof ApiRequestError && e.code === 'NOT_FOUND') return [];
    throw e;
  }
}

const RegistrationOptions = graphql(`
  mutation PasskeyRegistrationOptions { passkeyRegistrationOptions }
`);

const ApprovalChallenge = graphql(
  `
    mutation PasskeyApprovalChallenge($r: String!) { passkeyApprovalChallenge(response: $r) {
    ... on MutationPasskeyApprovalChallengeSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

const AddPasskey = graphql(
  `
    mutation AddPasskey($r: String!, $n: String!, $a: String) { addPasskey(response: $r, name: $n,
    approval: $a) { ... on MutationAddPasskeySuccess { data { ...PasskeyFields } } ...Refusal } }
  `,
  [Refusal, PasskeyFields],
);

const RenamePasskey = graphql(
  `
    mutation RenamePasskey($id: ID!, $n: String!) { renamePasskey(id: $id, name: $n) {
    ... on MutationRenamePasskeySuccess { data { ...PasskeyFields } } ...Refusal } }
  `,
  [Refusal, PasskeyFields],
);

const RemovalChallenge = graphql(
  `
    mutation PasskeyRemovalChallenge($id: ID!) { passkeyRemovalChallenge(id: $id) {
    ... on MutationPasskeyRemovalChallengeSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

const RemovePasskey = graphql(
  `
    mutation RemovePasskey($id: ID!, $a: String!) { removePasskey(id: $id, approval: $a) {
    ... on MutationRemovePasskeySuccess { data { ...PasskeyFields } } ...Refusal } }
  `,
  [Refusal, PasskeyFields],
);

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/**
 * Runs one passkey mutation for an action: its data as `{ [key]: data }`, a refusal as
 * `fail(status, { passkeyMessage, passkeyId })`, so the page shows it beside that passkey.
 */
async function run<K extends string, T>(
  key: K,
  passkeyId: string | null,
  call: () => Promise<MutationOutcome<T>>,
) {
  try {
    const outcome = await call();
    if (outcome.ok) return { [key]: outcome.data } as { [P in K]: T };
    return fail(statusOf(outcome.code), { passkeyMessage: outcome.message, passkeyId });
  } catch (e) {
    return fail(502, { passkeyMessage: messageOf(e), passkeyId });
  }
}

/**
 * The form actions behind the account page's passkey section. Adding and removing take two
 * browser steps (a WebAuthn prompt between them), so the browser calls these one by one
 * (`callAction` in `$lib/passkey-browser`); renaming is a plain form.
 */
export const passkeyActions = {
  passkeyOptions: async ({ locals, fetch }: RequestEvent) => {
    const { token } = signedIn(locals);
    return run('options', null, async () => ({
      ok: true as const,
      data: (await api(fetch, token, RegistrationOptions, {})).passkeyRegistrationOptions,
    }));
  },
  passkeyApproval: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const r = text(await request.formData(), 'response');
    return run('challenge', null, () => mutate(fetch, token, ApprovalChallenge, { r }));
  },
  passkeyAdd: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const approval = text(form, 'approval');
    return run('added', null, () =>
      mutate(fetch, token, AddPasskey, {
        r: text(form, 'response'),
        n: text(form, 'name'),
        a: approval || null,
      }),
    );
  },
  passkeyRename: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const id = text(form, 'id');
    return run('renamed', id, () =>
      mutate(fetch, token, RenamePasskey, { id, n: text(form, 'name') }),
    );
  },
  passkeyRemovalChallenge: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const id = text(await request.formData(), 'id');
    return run('challenge', id, () => mutate(fetch, token, RemovalChallenge, { id }));
  },
  passkeyRemove: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const id = text(form, 'id');
    return run('removed', id, () =>
      mutate(fetch, token, RemovePasskey, { id, a: text(form, 'approval') }),
    );
  },
};
