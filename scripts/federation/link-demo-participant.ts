// Part of `npm run federation:local` (issue #14): the demo participant links their records at
// two running sites, as a person would in the portal, through each site's GraphQL API: signs in
// at each (patient@demo.local, the demo password), registers a passkey at each (a software
// authenticator, server/src/test/soft-authenticator.ts, under each site's own relying party),
// offers the link at the first naming the second, and accepts it at the second with the code.
//
//   node --import tsx scripts/federation/link-demo-participant.ts <api A> <web A> <api B> <web B> <member B>
//
// The passkeys reach the chain through each site's relay, which can take a while just after the
// site was admitted (its relay backs off while it was no writer yet): the offer and the
// acceptance are retried until the chain takes them or two minutes pass.
import { setTimeout as sleep } from 'node:timers/promises';
import { SoftAuthenticator } from '../../server/src/test/soft-authenticator.js';

const [apiA, webA, apiB, webB, memberB] = process.argv.slice(2);
if (!apiA || !webA || !apiB || !webB || !memberB)
  throw new Error('usage: link-demo-participant.ts <api A> <web A> <api B> <web B> <member B>');
const EMAIL = 'patient@demo.local';
const PASSWORD = 'demo-password';

type Result = { __typename: string; message?: string; data?: Record<string, string> };

async function call(api: string, token: string | null, query: string, variables = {}) {
  const res = await fetch(`${api}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** A union result's data, or an error naming what failed. */
function dataOf(result: unknown, what: string): Record<string, string> {
  const r = result as Result;
  if (!r.data) throw new Error(`${what}: ${r.__typename} ${r.message ?? ''}`);
  return r.data;
}

const FAIL = '... on Error { message }';

/** Signs in at one site and registers a passkey there; answers the token and the device. */
async function signInWithPasskey(api: string, web: string) {
  const login = await call(
    api,
    null,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename ${FAIL} ... on MutationLoginSuccess { data { token } } } }`,
    { e: EMAIL, p: PASSWORD },
  );
  const { token } = dataOf(login.login, `sign-in at ${api}`);
  const device = new SoftAuthenticator({ origin: web, rp_id: new URL(web).hostname });
  const options = await call(api, token!, 'mutation { passkeyRegistrationOptions }');
  const { challenge } = JSON.parse(options.passkeyRegistrationOptions as string) as {
    challenge: string;
  };
  const added = await call(
    api,
    token!,
    `mutation($r: String!) { addPasskey(name: "Demo passkey", response: $r) { __typename ${FAIL} ... on MutationAddPasskeySuccess { data { id } } } }`,
    { r: JSON.stringify(device.register(challenge)) },
  );
  dataOf(added.addPasskey, `passkey at ${api}`);
  return { token: token!, device };
}

/** Runs `step` until it succeeds (the chain has the passkey) or two minutes pass. */
async function retried<T>(what: string, step: () => Promise<T>): Promise<T> {
  for (let t = 0; ; t += 1) {
    try {
      return await step();
    } catch (error) {
      if (t === 60) throw error;
      if (t % 10 === 0)
        console.log(`[federation] ${what}: waiting for the chain (${(error as Error).message})`);
      await sleep(2_000);
    }
  }
}

const a = await signInWithPasskey(apiA, webA);
const b = await signInWithPasskey(apiB, webB);
const code = await retried('offer', async () => {
  const asked = await call(
    apiA,
    a.token,
    `mutation($m: String!) { participantLinkOfferChallenge(toMember: $m) { __typename ${FAIL} ... on MutationParticipantLinkOfferChallengeSuccess { data { challenge code } } } }`,
    { m: memberB },
  );
  const { challenge, code } = dataOf(asked.participantLinkOfferChallenge, 'offer challenge');
  const offered = await call(
    apiA,
    a.token,
    `mutation($c: String!, $s: String!, $m: String!) { offerParticipantLink(code: $c, signature: $s, toMember: $m) { __typename ${FAIL} ... on MutationOfferParticipantLinkSuccess { data { code } } } }`,
    { c: code, s: JSON.stringify(a.device.assert(challenge!)), m: memberB },
  );
  dataOf(offered.offerParticipantLink, 'offer');
  return code!;
});
await retried('acceptance', async () => {
  const asked = await call(
    apiB,
    b.token,
    `mutation($c: String!) { participantLinkAcceptChallenge(code: $c) { __typename ${FAIL} ... on MutationParticipantLinkAcceptChallengeSuccess { data { challenge } } } }`,
    { c: code },
  );
  const { challenge } = dataOf(asked.participantLinkAcceptChallenge, 'acceptance challenge');
  const accepted = await call(
    apiB,
    b.token,
    `mutation($c: String!, $s: String!) { acceptParticipantLink(code: $c, signature: $s) { __typename ${FAIL} ... on MutationAcceptParticipantLinkSuccess { data { code } } } }`,
    { c: code, s: JSON.stringify(b.device.assert(challenge!)) },
  );
  dataOf(accepted.acceptParticipantLink, 'acceptance');
});
console.log(
  `[federation] ${EMAIL} linked their records at ${apiA} and ${apiB} (link code ${code.slice(0, 8)}…)`,
);
