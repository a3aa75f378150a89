import { DEMO_PASSWORD } from './helpers';

/** The API the Playwright config started. */
export const API = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '4317'}/graphql`;

/** Calls the API directly (test set-up only); throws on top-level errors. */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const res = await fetch(API, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body.data!;
}

/** A bearer token for a demo account. */
export async function tokenFor(email: string): Promise<string> {
  const data = await gql<{ login: { data?: { token: string } } }>(
    `mutation($email: String!, $password: String!) { login(email: $email, password: $password) {
      ... on MutationLoginSuccess { data { token } } } }`,
    { email, password: DEMO_PASSWORD },
  );
  if (!data.login.data) throw new Error(`cannot sign in ${email}`);
  return data.login.data.token;
}
