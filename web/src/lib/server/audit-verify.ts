import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { AuditVerification } from '$lib/audit-verification';
import { apiText } from './api';
import { messageOf } from './guard';

/**
 * The "verify integrity" form action, shared by every page that shows AuditVerify: it asks the
 * API to recompute the chain (the API records that it ran) and hands back the outcome.
 */
export async function verifyAuditAction({ locals, fetch }: RequestEvent) {
  if (!locals.viewer) redirect(303, '/login');
  try {
    const { verifyAuditTrail } = await apiText<{ verifyAuditTrail: AuditVerification }>(
      fetch,
      `mutation { verifyAuditTrail { ok checkedEvents headHash firstBroken { seq reason } } }`,
      {},
      locals.token,
    );
    return { verification: verifyAuditTrail };
  } catch (error) {
    return fail(502, { verifyError: messageOf(error) });
  }
}
