import { loginAs, makeUser } from './in-process-api.js';
import type { UserRecord } from '../modules/accounts/accounts.service.js';
import type { AccessFixture } from './access-fixture.js';

/** A date of birth (`YYYY-MM-DD`, UTC) of someone who turns eighteen tomorrow. */
export function birthDateTurningEighteenTomorrow(): string {
  const born = new Date();
  born.setUTCFullYear(born.getUTCFullYear() - 18);
  born.setUTCDate(born.getUTCDate() + 1);
  return born.toISOString().slice(0, 10);
}

/**
 * A site coordinator links a new participant account as the parent of `participantId`, a minor
 * who turns eighteen tomorrow (so the representation lapses at the next day's round). Throws
 * unless the API made the link; answers the parent's account and bearer token.
 */
export async function parentOfMinorTurningEighteen(
  f: Pick<AccessFixture, 'db' | 'gql'>,
  coordinatorToken: string,
  participantId: string,
): Promise<{ parent: UserRecord; parentToken: string }> {
  const parent = await makeUser(f.db.db, 'participant');
  const parentToken = await loginAs(f.gql, parent);
  const linked = await f.gql<{ linkRepresentative: { __typename: string } }>(
    `mutation($i: RepresentationLinkInput!) { linkRepresentative(input: $i) { __typename ... on Error { code message } } }`,
    {
      i: {
        participantId,
        representativeEmail: parent.email,
        relationship: 'parent',
        dateOfBirth: birthDateTurningEighteenTomorrow(),
      },
    },
    { token: coordinatorToken },
  );
  if (linked.data?.linkRepresentative.__typename !== 'MutationLinkRepresentativeSuccess')
    throw new Error(`linking the parent failed: ${JSON.stringify(linked)}`);
  return { parent, parentToken };
}

/**
 * A representative answers consent request `requestId` acting for `participantId` (the
 * `x-consentome-acting-for` header); answers the API's response for the test to judge.
 */
export function answerActingFor(
  f: Pick<AccessFixture, 'gql'>,
  representativeToken: string,
  participantId: string,
  requestId: string,
  decision: 'PERMIT' | 'DENY',
) {
  return f.gql<{ answerConsentRequest: { __typename: string; code?: string } }>(
    `mutation($r: ID!) { answerConsentRequest(requestId: $r, decision: ${decision}) { __typename ... on Error { code message } } }`,
    { r: requestId },
    {
      headers: {
        authorization: `Bearer ${representativeToken}`,
        'x-consentome-acting-for': participantId,
      },
    },
  );
}
