import { fail, type RequestEvent } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { VerificationFields } from '$lib/graphql/fragments';
import { api } from './api';
import { messageOf, signedIn } from './guard';

const VerifyAuditTrail = graphql(
  `
    mutation VerifyAuditTrail { verifyAuditTrail { ...VerificationFields } }
  `,
  [VerificationFields],
);

/**
 * The "verify integrity" form action, shared by every page that shows AuditVerify: it asks the
 * API to recompute the chain (the API records that it ran) and hands back the outcome.
 */
export async function verifyAuditAction({ locals, fetch }: RequestEvent) {
  const { token } = signedIn(locals);
  try {
    const { verifyAuditTrail } = await api(fetch, token, VerifyAuditTrail, {});
    return { verification: verifyAuditTrail };
  } catch (error) {
    return fail(502, { verifyError: messageOf(error) });
  }
}
