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

/** Options for the browser's passkey prompt, with no account named. */
export const PasskeySignInOptions = graphql(
  `
    mutation PasskeySignInOptions { passkeySignInOptions { ... on
    MutationPasskeySignInOptionsSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

/** Signs in with the browser's passkey answer: the session token and its expiry, or why not. */
export const SignInWithPasskey = graphql(
  `
    mutation SignInWithPasskey($response: String!) { signInWithPasskey(response: $response) {
    ... on MutationSignInWithPasskeySuccess { data { token expiresAt } } ...Refusal } }
  `,
  [Refusal],
);

/** Asks for a password-reset link (the answer is the same whether the address exists or not). */
export const RequestPasswordReset = graphql(
  `
    mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) {
    ... on MutationRequestPasswordResetSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

/** Sets a new password with a reset link's token. */
export const ResetPassword = graphql(
  `
    mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token:
    $token, newPassword: $newPassword) { ... on MutationResetPasswordSuccess { data }
    ...Refusal } }
  `,
  [Refusal],
);
