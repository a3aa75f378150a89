import { graphql } from '$lib/graphql/graphql';
import { Refusal } from './mutate';

/** The signed-in user's second factor and this session's proof of it. */
export const MySecondFactor = graphql(`
  query MySecondFactor { mySecondFactor { enrolled totp passkeys required sessionVerifiedAt amr recoveryCodesLeft } }
`);

/** Begins TOTP enrolment: the secret and its otpauth:// URI. */
export const StartTotpEnrolment = graphql(
  `
  mutation StartTotpEnrolment { startTotpEnrolment { ... on MutationStartTotpEnrolmentSuccess {
  data { secret otpauthUri } } ...Refusal } }
`,
  [Refusal],
);

/** Confirms enrolment with a first code; answers the recovery codes. */
export const ConfirmTotpEnrolment = graphql(
  `
  mutation ConfirmTotpEnrolment($c: String!) { confirmTotpEnrolment(code: $c) {
  ... on MutationConfirmTotpEnrolmentSuccess { data } ...Refusal } }
`,
  [Refusal],
);

/** Proves the second factor for this session (a step-up). */
export const VerifySecondFactor = graphql(
  `
  mutation VerifySecondFactor($c: String, $r: String) { verifySecondFactor(code: $c,
  recoveryCode: $r) { ... on MutationVerifySecondFactorSuccess { data } ...Refusal } }
`,
  [Refusal],
);
