import { fail } from '@sveltejs/kit';
import { messageOf, requireRole } from './guard';
import { mutate, statusOf } from './mutate';
import type { FieldErrors } from '$lib/validate';

/**
 * The board's "revoke grant" form action, shared by the grant page and the review page: checks
 * the reason as the API does (at least 10 characters) and answers the typed outcome.
 */
export async function revokeGrantAction(
  locals: App.Locals,
  fetchFn: typeof fetch,
  request: Request,
  grantId: string,
) {
  const { token } = requireRole(locals, ['ethics_board', 'admin'], 'revoking a grant');
  const reason = String((await request.formData()).get('reason') ?? '').trim();
  if (reason.length < 10)
    return fail(400, {
      action: 'revoke',
      message: 'Tell the researcher why the grant ends.',
      errors: { reason: 'Write at least 10 characters.' } as FieldErrors,
    });
  try {
    const r = await mutate<{ status: string }>(
      fetchFn,
      token,
      {
        field: 'revokeGrant',
        args: 'grantId: $id, reason: $reason',
        vars: '$id: ID!, $reason: String!',
        selection: 'status',
      },
      { id: grantId, reason },
    );
    if (!r.ok)
      return fail(statusOf(r.code), {
        action: 'revoke',
        message: r.message,
        errors: r.fieldErrors,
      });
    return { action: 'revoke', done: r.data.status };
  } catch (e) {
    return fail(502, { action: 'revoke', message: messageOf(e), errors: {} as FieldErrors });
  }
}
