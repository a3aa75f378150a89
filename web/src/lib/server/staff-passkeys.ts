import { fail, type RequestEvent } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api } from './api';
import { messageOf, signedIn } from './guard';
import { Refusal, mutate, statusOf, type MutationOutcome } from './mutate';

/** The signed-in staff user's second-factor passkeys. */
export const MyStaffPasskeys = graphql(`
  query MyStaffPasskeys { myStaffPasskeys { id name createdAt lastUsedAt } }
`);

const RegistrationOptions = graphql(
  `
    mutation StaffPasskeyRegistrationOptions { staffPasskeyRegistrationOptions {
    ... on MutationStaffPasskeyRegistrationOptionsSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

const AddStaffPasskey = graphql(
  `
    mutation AddStaffPasskey($r: String!, $n: String!) { addStaffPasskey(response: $r, name: $n) {
    ... on MutationAddStaffPasskeySuccess { data { passkey { id name } recoveryCodes } } ...Refusal } }
  `,
  [Refusal],
);

const RenameStaffPasskey = graphql(
  `
    mutation RenameStaffPasskey($id: ID!, $n: String!) { renameStaffPasskey(id: $id, name: $n) {
    ... on MutationRenameStaffPasskeySuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const RemoveStaffPasskey = graphql(
  `
    mutation RemoveStaffPasskey($id: ID!) { removeStaffPasskey(id: $id) {
    ... on MutationRemoveStaffPasskeySuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const FactorOptions = graphql(
  `
    mutation PasskeySecondFactorOptions { passkeySecondFactorOptions {
    ... on MutationPasskeySecondFactorOptionsSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

const VerifyWithPasskey = graphql(
  `
    mutation VerifySecondFactorWithPasskey($r: String!) { verifySecondFactorWithPasskey(response: $r) {
    ... on MutationVerifySecondFactorWithPasskeySuccess { data } ...Refusal } }
  `,
  [Refusal],
);

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** One mutation for an action: `{ [key]: data }`, or `fail(status, { message })`. */
async function run<K extends string, T>(key: K, call: () => Promise<MutationOutcome<T>>) {
  try {
    const outcome = await call();
    if (outcome.ok) return { [key]: outcome.data } as { [P in K]: T };
    return fail(statusOf(outcome.code), { message: outcome.message });
  } catch (e) {
    return fail(502, { message: messageOf(e) });
  }
}

/**
 * The form actions behind staff second-factor passkeys on the account page. The browser calls
 * them one by one around its WebAuthn prompts (`callAction` in `$lib/passkey-browser`).
 */
export const staffPasskeyActions = {
  staffPasskeyOptions: async ({ locals, fetch }: RequestEvent) => {
    const { token } = signedIn(locals);
    return run('options', () => mutate(fetch, token, RegistrationOptions, {}));
  },
  staffPasskeyAdd: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    return run('added', () =>
      mutate(fetch, token, AddStaffPasskey, { r: text(form, 'response'), n: text(form, 'name') }),
    );
  },
  staffPasskeyRename: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    return run('renamed', () =>
      mutate(fetch, token, RenameStaffPasskey, { id: text(form, 'id'), n: text(form, 'name') }),
    );
  },
  staffPasskeyRemove: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const id = text(await request.formData(), 'id');
    return run('removed', () => mutate(fetch, token, RemoveStaffPasskey, { id }));
  },
  passkeyFactorOptions: async ({ locals, fetch }: RequestEvent) => {
    const { token } = signedIn(locals);
    return run('options', () => mutate(fetch, token, FactorOptions, {}));
  },
  passkeyFactorVerify: async ({ locals, fetch, request }: RequestEvent) => {
    const { token } = signedIn(locals);
    const r = text(await request.formData(), 'response');
    return run('verifiedAt', () => mutate(fetch, token, VerifyWithPasskey, { r }));
  },
};

/** The staff user's passkeys, for roles other than participant (whose passkeys are on chain). */
export async function myStaffPasskeys(fetchFn: typeof fetch, token: string) {
  return (await api(fetchFn, token, MyStaffPasskeys, {})).myStaffPasskeys;
}
