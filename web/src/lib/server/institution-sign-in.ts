import type { Cookies } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { Refusal } from './mutate';

/** The cookie binding an institutional sign-in to this browser until the provider sends it back. */
export const FLOW_COOKIE = 'consentome_oidc_flow';

/** Institutions configured for sign-in. */
export const SignInProviders = graphql(`
  query SignInProviders { signInProviders { id displayName } }
`);

/** Starts a sign-in at an institution's provider. */
export const BeginInstitutionSignIn = graphql(
  `
  mutation BeginInstitutionSignIn($p: ID!) { beginInstitutionSignIn(providerId: $p) {
  ... on MutationBeginInstitutionSignInSuccess { data { authorizationUrl flowToken } } ...Refusal } }
`,
  [Refusal],
);

/** Starts linking an institution to the signed-in account (the password is asked again). */
export const BeginInstitutionLink = graphql(
  `
  mutation BeginInstitutionLink($p: ID!, $pw: String!) { beginInstitutionLink(providerId: $p,
  password: $pw) { ... on MutationBeginInstitutionLinkSuccess { data { authorizationUrl flowToken } }
  ...Refusal } }
`,
  [Refusal],
);

/** Finishes a sign-in or link from the provider's callback. */
export const CompleteInstitutionSignIn = graphql(
  `
  mutation CompleteInstitutionSignIn($u: String!, $f: String!) { completeInstitutionSignIn(
  callbackUrl: $u, flowToken: $f) { ... on MutationCompleteInstitutionSignInSuccess { data {
  token expiresAt linked } } ...Refusal } }
`,
  [Refusal],
);

/**
 * Keeps the flow token for the provider's redirect back: HttpOnly, and SameSite=Lax so the
 * top-level navigation back from the provider carries it; ten minutes, as the API's flow.
 */
export function setFlowCookie(cookies: Cookies, flowToken: string, secure: boolean): void {
  cookies.set(FLOW_COOKIE, flowToken, {
    path: '/login/oidc',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: 600,
  });
}
