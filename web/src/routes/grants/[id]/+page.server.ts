import { error, fail, isHttpError } from '@sveltejs/kit';
import { ApiRequestError, apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import { mutate, statusOf } from '$lib/server/mutate';
import { revokeGrantAction } from '$lib/server/revoke-grant';
import { STUDY_ID } from '$lib/server/study-query';
import { decodeJwt } from '$lib/jwt-claims';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['researcher', 'ethics_board', 'admin'] as const;

/** A grant as its page shows it. */
export interface GrantDetail {
  id: string;
  status: string;
  issuedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  visas: string[];
  jwksUrl: string;
  cohortRoot: string;
  memberCount: number;
  chainRecord: { txHash: string; height: number } | null;
  boardConditions: string[];
  obligations: {
    datasetId: string;
    obligation: { code: string; kind: string; description: string; evidence: string | null };
  }[];
  datasets: { id: string; name: string }[];
  study: { id: string; title: string };
  exports: {
    id: string;
    createdAt: string;
    participantCount: number;
    variantCount: number;
    vcfSha256: string;
  }[];
}

const GRANT = `id status issuedAt expiresAt endedAt endReason visas jwksUrl cohortRoot memberCount
  chainRecord { txHash height } boardConditions
  obligations { datasetId obligation { code kind description evidence } }
  datasets { id name } study { id title }
  exports { id createdAt participantCount variantCount vcfSha256 }`;

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { viewer, token } = requireRole(locals, ROLES, 'grants');
  if (!STUDY_ID.test(params.id)) error(404, { message: 'There is no such grant.' });
  try {
    const { grant } = await apiText<{ grant: GrantDetail }>(
      fetch,
      `query($id: ID!) { grant(id: $id) { ${GRANT} } }`,
      { id: params.id },
      token,
    );
    return {
      grant,
      visas: grant.visas.map(decodeJwt),
      isGrantee: viewer.role === 'researcher',
      canRevoke: viewer.role === 'ethics_board' || viewer.role === 'admin',
      loadError: null,
    };
  } catch (e) {
    if (isHttpError(e)) throw e;
    if (e instanceof ApiRequestError && e.code === 'NOT_FOUND')
      error(404, { message: 'There is no such grant, or it is not yours to see.' });
    return {
      grant: null,
      visas: [],
      isGrantee: false,
      canRevoke: false,
      loadError: messageOf(e),
    };
  }
};

export const actions: Actions = {
  /** Exports exactly the participants whose consent permits at this moment. */
  export: async ({ locals, fetch, params }) => {
    const { token } = requireRole(locals, ['researcher'], 'exports');
    try {
      const r = await mutate<{ id: string; participantCount: number }>(
        fetch,
        token,
        {
          field: 'createExport',
          args: 'grantId: $id',
          vars: '$id: ID!',
          selection: 'id participantCount',
        },
        { id: params.id },
      );
      if (!r.ok)
        return fail(statusOf(r.code), {
          action: 'export',
          message: r.message,
          errors: {} as FieldErrors,
        });
      return { action: 'export', exported: r.data };
    } catch (e) {
      return fail(502, { action: 'export', message: messageOf(e), errors: {} as FieldErrors });
    }
  },
  closeOut: async ({ locals, fetch, params }) => {
    const { token } = requireRole(locals, ['researcher'], 'closing out a grant');
    try {
      const r = await mutate<{ status: string }>(
        fetch,
        token,
        { field: 'closeOutGrant', args: 'grantId: $id', vars: '$id: ID!', selection: 'status' },
        { id: params.id },
      );
      if (!r.ok)
        return fail(statusOf(r.code), {
          action: 'closeOut',
          message: r.message,
          errors: {} as FieldErrors,
        });
      return { action: 'closeOut', done: r.data.status };
    } catch (e) {
      return fail(502, { action: 'closeOut', message: messageOf(e), errors: {} as FieldErrors });
    }
  },
  revoke: ({ locals, fetch, request, params }) =>
    revokeGrantAction(locals, fetch, request, params.id),
};
