import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import { clearSessionCookie } from '$lib/server/session';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const EVERY_ROLE = ['participant', 'researcher', 'ethics_board', 'steward', 'admin'] as const;

export const load: PageServerLoad = ({ locals }) => {
  const { viewer } = requireRole(locals, EVERY_ROLE, 'your account');
  return { email: viewer.email };
};

type ChangeResult =
  | { __typename: 'MutationChangePasswordSuccess'; data: number }
  | {
      __typename: 'ValidationError' | 'RateLimitedError';
      message: string;
      fieldErrors?: { field: string; message: string }[];
    };

export const actions: Actions = {
  password: async ({ locals, request, fetch }) => {
    const { token } = requireRole(locals, EVERY_ROLE, 'your account');
    const form = await request.formData();
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    const confirmPassword = String(form.get('confirmPassword') ?? '');
    const errors: FieldErrors = {};
    if (!currentPassword) errors.currentPassword = 'Enter your current password.';
    if (newPassword.length < 12) errors.newPassword = 'Use at least 12 characters.';
    if (confirmPassword !== newPassword) errors.confirmPassword = 'The two entries differ.';
    if (Object.keys(errors).length) return fail(400, { errors, message: null, ended: null });
    try {
      const { changePassword: r } = await api<{ changePassword: ChangeResult }>(
        fetch,
        `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) {
          __typename
          ... on MutationChangePasswordSuccess { data }
          ... on Error { message }
          ... on ValidationError { fieldErrors { field message } }
        } }`,
        { c: currentPassword, n: newPassword },
        token,
      );
      if (r.__typename !== 'MutationChangePasswordSuccess') {
        const fieldErrors: FieldErrors = {};
        for (const f of r.fieldErrors ?? []) fieldErrors[f.field] ??= `This ${f.message}.`;
        return fail(r.__typename === 'RateLimitedError' ? 429 : 400, {
          errors: fieldErrors,
          message: r.message,
          ended: null,
        });
      }
      return { errors: {}, message: null, ended: r.data };
    } catch (e) {
      return fail(502, { errors: {}, message: messageOf(e), ended: null });
    }
  },
  everywhere: async ({ locals, cookies, fetch, url }) => {
    const { token } = requireRole(locals, EVERY_ROLE, 'your account');
    try {
      await api(fetch, `mutation { logoutEverywhere }`, {}, token);
    } catch (e) {
      return fail(502, { errors: {}, message: messageOf(e), ended: null });
    }
    clearSessionCookie(cookies, url.protocol === 'https:');
    redirect(303, '/login');
  },
};
