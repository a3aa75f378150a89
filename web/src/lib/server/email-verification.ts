import { graphql } from '$lib/graphql/graphql';
import { Refusal } from './mutate';

/** The signed-in user's address and whether it is confirmed. */
export const MyEmail = graphql(`
  query MyEmail { me { id email emailVerifiedAt } }
`);

/** "Send the link again": the same answer whether or not an account has the address. */
export const RequestEmailVerification = graphql(
  `
    mutation RequestEmailVerification($e: String!) { requestEmailVerification(email: $e) {
    ... on MutationRequestEmailVerificationSuccess { data } ...Refusal } }
  `,
  [Refusal],
);

/** Confirms an address with the token from its link. */
export const VerifyEmail = graphql(
  `
    mutation VerifyEmail($t: String!) { verifyEmail(token: $t) {
    ... on MutationVerifyEmailSuccess { data } ...Refusal } }
  `,
  [Refusal],
);
