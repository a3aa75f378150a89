import { graphql } from '$lib/graphql/graphql';
import { Refusal } from './mutate';

/** Signs in: the session token and its expiry, or why not (bad credentials, rate limit). */
export const Login = graphql(
  `
    mutation Login($email: String!, $password: String!) { login(email: $email, password:
    $password) { ... on MutationLoginSuccess { data { token expiresAt } } ...Refusal } }
  `,
  [Refusal],
);
