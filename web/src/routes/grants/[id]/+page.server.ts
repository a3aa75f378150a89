import { mayAct } from '$lib/access';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadGrantOrFail } from '$lib/server/grant-query';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { revokeGrantAction } from '$lib/server/revoke-grant';
import { decodeJwt } from '$lib/jwt-claims';
import type { Actions, PageServerLoad } from './$types';

const Grant = graphql(`
  query Grant($id: ID!) { grant(id: $id) { id status issuedAt expiresAt endedAt endReason visas
  jwksUrl cohortRoot memberCount chainRecord { txHash height } boardConditions obligations {
  datasetId obligation { code kind description evidence } } datasets { id name } study { id
  title } exports { id createdAt participantCount variantCount vcfSha256 vcfBytes vcfPath indexPath } renewalDueAt
  renewalNeeded renewalOverdue renewals { id dueAt status submittedAt decidedAt decisionNote }
  closeout { destroyedOn attestedAt countersignedAt } } }
`);

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { viewer, token } = signedIn(locals);
  const { grant } = await loadGrantOrFail(fetch, token, Grant, params.id);
  return {
    grant,
    visas: grant.visas.map(decodeJwt),
    isGrantee: mayAct('/grants/[id]', viewer.role, 'export'),
    canRevoke: mayAct('/grants/[id]', viewer.role, 'revoke'),
  };
};

const CreateExport = graphql(
  `
    mutation CreateExport($id: ID!) { createExport(grantId: $id) {
    ... on MutationCreateExportSuccess { data { id participantCount } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  /** Exports exactly the participants whose consent permits at this moment. */
  export: ({ locals, fetch, params }) =>
    mutationAction(
      fetch,
      signedIn(locals).token,
      CreateExport,
      { id: params.id },
      {
        kept: { action: 'export' },
        done: (data) => ({ exported: data }),
      },
    ),
  revoke: ({ locals, fetch, request, params }) =>
    revokeGrantAction(locals, fetch, request, params.id),
};
