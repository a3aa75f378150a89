import { fail, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { api } from '$lib/server/api';
import { messageOf, signedIn } from '$lib/server/guard';
import { Refusal, mutate } from '$lib/server/mutate';
import { myPasskeysOrNone, passkeyActions } from '$lib/server/passkeys';
import { mySessionsOrError, sessionActions } from '$lib/server/sessions';
import {
  BeginInstitutionLink,
  SignInProviders,
  setFlowCookie,
} from '$lib/server/institution-sign-in';
import {
  ConfirmTotpEnrolment,
  MySecondFactor,
  StartTotpEnrolment,
  VerifySecondFactor,
} from '$lib/server/second-factor';
import { clearSessionCookie } from '$lib/server/session';
import { MyEmail, RequestEmailVerification } from '$lib/server/email-verification';
import { myStaffPasskeys, staffPasskeyActions } from '$lib/server/staff-passkeys';
import type { FieldErrors } from '$lib/validate';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const ChangePassword = graphql(
  `
  mutation ChangePassword($c: String!, $n: String!) { changePassword(currentPassword: $c,
  newPassword: $n) { __typename ... on MutationChangePasswordSuccess { data } ...Refusal } }
`,
  [Refusal],
);

const LogoutEverywhere = graphql(`
  mutation LogoutEverywhere { logoutEverywhere }
`);

export const load: PageServerLoad = async ({ locals, fetch, url }) => {
  const { viewer, token } = signedIn(locals);
  const [factor, providers, passkeys, sessions, staffPasskeys, me] = await Promise.all([
    api(fetch, token, MySecondFactor, {}).then((d) => d.mySecondFactor),
    api(fetch, null, SignInProviders, {}).then((d) => d.signInProviders),
    // Passkeys sign consent decisions, so only participants have them.
    viewer.role === 'participant' ? myPasskeysOrNone(fetch, token) : Promise.resolve(null),
    mySessionsOrError(fetch, token),
    // Everyone else may use passkeys as a second factor (kept by us only, not on chain).
    viewer.role === 'participant' ? Promise.resolve(null) : myStaffPasskeys(fetch, token),
    api(fetch, token, MyEmail, {}).then((d) => d.me),
  ]);
  return {
    email: viewer.email,
    factor,
    providers,
    passkeys,
    sessions,
    staffPasskeys,
    emailVerifiedAt: me?.emailVerifiedAt ?? null,
    linked: url.searchParams.has('linked'),
    secondFactorNeeded: url.searchParams.has('second_factor'),
  };
};

/** The answer of a second-factor form: field errors and a message, or what to show next. */
interface FactorResult {
  factorErrors: FieldErrors;
  factorMessage: string | null;
  enrolment?: { secret: string; otpauthUri: string };
  recoveryCodes?: string[];
  verified?: boolean;
}

const factorFail = (status: number, message: string | null, errors: FieldErrors = {}) =>
  fail(status, { factorErrors: errors, factorMessage: message } satisfies FactorResult);

export const actions: Actions = {
  ...passkeyActions,
  ...sessionActions,
  ...staffPasskeyActions,
  resendVerification: async ({ locals, fetch }) => {
    const { viewer, token } = signedIn(locals);
    if (!viewer.email) return fail(400, { verifyMessage: m.account_no_email() });
    try {
      const r = await mutate(fetch, token, RequestEmailVerification, { e: viewer.email });
      if (!r.ok)
        return fail(r.type === 'RateLimitedError' ? 429 : 400, { verifyMessage: r.message });
      return { verifySent: true };
    } catch (e) {
      return fail(502, { verifyMessage: messageOf(e) });
    }
  },
  password: async ({ locals, request, fetch }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    const confirmPassword = String(form.get('confirmPassword') ?? '');
    const errors: FieldErrors = {};
    if (!currentPassword) errors.currentPassword = m.account_password_current_missing();
    if (newPassword.length < 12) errors.newPassword = m.account_password_too_short();
    if (confirmPassword !== newPassword) errors.confirmPassword = m.account_password_differ();
    if (Object.keys(errors).length) return fail(400, { errors, message: null, ended: null });
    try {
      const r = await mutate(fetch, token, ChangePassword, { c: currentPassword, n: newPassword });
      if (!r.ok) {
        return fail(r.type === 'RateLimitedError' ? 429 : 400, {
          errors: r.fieldErrors,
          message: r.message,
          ended: null,
        });
      }
      return { errors: {}, message: null, ended: r.data };
    } catch (e) {
      return fail(502, { errors: {}, message: messageOf(e), ended: null });
    }
  },
  totpStart: async ({ locals, fetch }) => {
    const { token } = signedIn(locals);
    try {
      const r = await mutate(fetch, token, StartTotpEnrolment, {});
      if (!r.ok) return factorFail(409, r.message);
      return { factorErrors: {}, factorMessage: null, enrolment: r.data } satisfies FactorResult;
    } catch (e) {
      return factorFail(502, messageOf(e));
    }
  },
  totpConfirm: async ({ locals, request, fetch }) => {
    const { token } = signedIn(locals);
    const code = String((await request.formData()).get('code') ?? '').trim();
    if (!/^\d{6}$/.test(code)) return factorFail(400, null, { code: m.factor_six_digits() });
    try {
      const r = await mutate(fetch, token, ConfirmTotpEnrolment, { c: code });
      if (!r.ok)
        return factorFail(r.type === 'RateLimitedError' ? 429 : 400, r.message, r.fieldErrors);
      return {
        factorErrors: {},
        factorMessage: null,
        recoveryCodes: r.data,
      } satisfies FactorResult;
    } catch (e) {
      return factorFail(502, messageOf(e));
    }
  },
  verify: async ({ locals, request, fetch }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const code = String(form.get('code') ?? '').trim();
    const recovery = String(form.get('recoveryCode') ?? '').trim();
    if (!code && !recovery) return factorFail(400, null, { code: m.factor_six_digits() });
    try {
      const r = await mutate(fetch, token, VerifySecondFactor, {
        c: recovery ? null : code,
        r: recovery || null,
      });
      if (!r.ok)
        return factorFail(r.type === 'RateLimitedError' ? 429 : 400, r.message, r.fieldErrors);
      return { factorErrors: {}, factorMessage: null, verified: true } satisfies FactorResult;
    } catch (e) {
      return factorFail(502, messageOf(e));
    }
  },
  link: async ({ locals, request, fetch, cookies, url }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const providerId = String(form.get('provider') ?? '');
    const password = String(form.get('linkPassword') ?? '');
    if (!password)
      return fail(400, {
        linkErrors: { linkPassword: m.account_link_password_missing() },
        linkMessage: null,
      });
    let target: string;
    try {
      const r = await mutate(fetch, token, BeginInstitutionLink, { p: providerId, pw: password });
      if (!r.ok)
        return fail(r.type === 'RateLimitedError' ? 429 : 400, {
          linkErrors: (r.fieldErrors.password
            ? { linkPassword: r.fieldErrors.password }
            : {}) as FieldErrors,
          linkMessage: r.message,
        });
      setFlowCookie(cookies, r.data.flowToken, url.protocol === 'https:');
      target = r.data.authorizationUrl;
    } catch (e) {
      return fail(502, { linkErrors: {} as FieldErrors, linkMessage: messageOf(e) });
    }
    redirect(303, target);
  },
  everywhere: async ({ locals, cookies, fetch, url }) => {
    const { token } = signedIn(locals);
    try {
      await api(fetch, token, LogoutEverywhere, {});
    } catch (e) {
      return fail(502, { errors: {}, message: messageOf(e), ended: null });
    }
    clearSessionCookie(cookies, url.protocol === 'https:');
    redirect(303, '/login');
  },
};
