import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import type { Config } from '../../config.js';
import {
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../../errors/app-errors.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { issueEmailVerification, type VerificationMail } from './email-verification.service.js';
import {
  createUser,
  findUser,
  listUsers,
  login,
  logout,
  type LoginResult,
  type UserRecord,
} from './accounts.service.js';
import { changePassword, logoutEverywhere } from './own-sessions.service.js';
import { confirmResearcherStatus } from './researcher-status.service.js';
import type { ResetMail } from './password-reset.service.js';
import type { UserActor } from '../actors/actor.js';
import type { LoginLimits } from './login-rate-limit.js';
import { ROLES } from '../actors/roles.js';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';

/**
 * Sends an e-mail carrying an account token (a verification or password-reset link) after the
 * answer has gone out, so how long the answer takes does not tell whether an account exists. A
 * failed send is not retried: the person asks again, as they would for a lost e-mail.
 */
export function sendAccountTokenMail(
  ctx: GraphQLContext,
  kind: 'email_verification' | 'password_reset',
  mail: VerificationMail | ResetMail | null,
): void {
  if (!mail) return;
  setImmediate(() => {
    ctx.services.mail
      .send({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        notificationId: mail.tokenId,
        kind,
      })
      .catch(() => undefined);
  });
}

/** The login limits from the configuration. */
export function loginLimits(config: Config): LoginLimits {
  return { maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs };
}

/**
 * Contact details and account state are for staff and for the person themselves: a
 * participant sees a steward's or researcher's name and role, never their e-mail or whether
 * their account is disabled.
 */
function maySeeAccountDetails(viewer: UserActor | null, user: UserRecord): boolean {
  return viewer !== null && (viewer.userId === user.id || viewer.role !== 'participant');
}

export const RoleEnum = builder.enumType('Role', { values: ROLES });

export const UserType = builder.objectRef<UserRecord>('User').implement({
  description: 'A person with an account.',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.string({
      nullable: true,
      description: 'The e-mail address; null for a participant looking at someone else.',
      resolve: (u, _args, ctx) => (maySeeAccountDetails(ctx.viewer, u) ? u.email : null),
    }),
    displayName: t.exposeString('displayName'),
    role: t.field({ type: RoleEnum, resolve: (u) => u.role }),
    institution: t.exposeString('institution', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    disabledAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When an administrator disabled the account (it cannot sign in), or null; always null for a participant looking at someone else.',
      resolve: (u, _args, ctx) => (maySeeAccountDetails(ctx.viewer, u) ? u.disabledAt : null),
    }),
    emailVerifiedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When the e-mail address was confirmed (a link opened, or the institution asserted it), or null; always null for a participant looking at someone else.',
      resolve: (u, _args, ctx) => (maySeeAccountDetails(ctx.viewer, u) ? u.emailVerifiedAt : null),
    }),
    locale: t.string({
      nullable: true,
      description:
        'The language the person chose for the portal and their notifications (`en`, `es`), or null when not chosen; only ever shown to the person themselves.',
      resolve: (u, _args, ctx) => (ctx.viewer?.userId === u.id ? u.locale : null),
    }),
    researcherStatusConfirmedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When an administrator confirmed this researcher (GA4GH ResearcherStatus visa), or null; always null for a participant looking at someone else.',
      resolve: (u, _args, ctx) =>
        maySeeAccountDetails(ctx.viewer, u) ? u.researcherStatusConfirmedAt : null,
    }),
  }),
});

/** What a sign-in answers: the session token (also set as the cookie) and the user. */
export const LoginPayload = builder.objectRef<LoginResult>('LoginPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', {
      description: 'Bearer token for API clients (the same session as the cookie).',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    user: t.field({ type: UserType, resolve: (r) => r.user }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: UserType,
    nullable: true,
    description: 'The signed-in user, or null.',
    skipTypeScopes: true,
    // The account the session lookup read with the session (cached with it, and forgotten by
    // every write to it), so a warm `me` makes no statement; a viewer from elsewhere reads it.
    resolve: (_root, _args, ctx) =>
      ctx.viewer
        ? ctx.viewerAccount?.id === ctx.viewer.userId
          ? ctx.viewerAccount
          : findUser(ctx.db, ctx.viewer.userId)
        : null,
  }),
);

roleGatedRead('users', {
  type: [UserType],
  roles: ['admin'],
  run: (tx, viewer) => listUsers(tx, viewer),
});

builder.mutationField('login', (t) =>
  t.field({
    type: LoginPayload,
    skipTypeScopes: true,
    errors: { types: [ValidationError, UnauthenticatedError, RateLimitedError] },
    args: { email: t.arg.string(), password: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const result = await login(
        ctx.db,
        { ...loginLimits(ctx.config), sessionTtlMs: ctx.config.sessionTtlMs },
        ctx.clientKey,
        args,
        ctx.device,
      );
      ctx.setCookies.push(sessionCookie(result.token, result.expiresAt, ctx.secure));
      return result;
    },
  }),
);

builder.mutationField('logout', (t) =>
  t.boolean({
    description: 'Ends the current session (cookie or bearer token).',
    resolve: async (_root, _args, ctx) => {
      const viewer = ctx.viewer!;
      await inTransaction(ctx, (tx) => logout(tx, viewer));
      ctx.setCookies.push(clearedSessionCookie(ctx.secure));
      return true;
    },
  }),
);

builder.mutationField('logoutEverywhere', (t) =>
  t.int({
    description:
      'Ends every session of the signed-in account, this one included; answers how many ended.',
    resolve: async (_root, _args, ctx) => {
      const ended = await inTransaction(ctx, (tx) => logoutEverywhere(tx, ctx.viewer!));
      ctx.setCookies.push(clearedSessionCookie(ctx.secure));
      return ended;
    },
  }),
);

builder.mutationField('changePassword', (t) =>
  t.int({
    description:
      "Changes the signed-in account's password (the current one is required) and ends every other session; answers how many ended.",
    errors: { types: [ValidationError, RateLimitedError] },
    args: { currentPassword: t.arg.string(), newPassword: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const { sessionsEnded } = await changePassword(
        ctx.db,
        ctx.viewer!,
        loginLimits(ctx.config),
        ctx.clientKey,
        args,
      );
      return sessionsEnded;
    },
  }),
);

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string(),
    password: t.string(),
    displayName: t.string(),
    role: t.field({ type: RoleEnum }),
    institution: t.string({ required: false }),
  }),
});

roleGatedWrite('confirmResearcherStatus', {
  type: 'DateTime',
  description:
    'An administrator (signing official) confirms a researcher: their GA4GH Passport then carries a ResearcherStatus visa.',
  roles: ['admin'],
  args: (t) => ({ userId: t.arg.id() }),
  run: (tx, viewer, { userId }) => confirmResearcherStatus(tx, viewer, userId),
});

builder.mutationField('createUser', (t) =>
  t.field({
    type: UserType,
    authScopes: { roles: ['admin'] },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateUserInput }) },
    resolve: async (_root, { input }, ctx) => {
      const { user, mail } = await inTransaction(ctx, async (tx) => {
        const created = await createUser(tx, ctx.viewer, input);
        return {
          user: created,
          mail: await issueEmailVerification(tx, ctx.viewer, created, ctx.config.webOrigin),
        };
      });
      sendAccountTokenMail(ctx, 'email_verification', mail);
      return user;
    },
  }),
);
