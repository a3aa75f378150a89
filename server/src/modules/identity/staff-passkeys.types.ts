import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { builder } from '../../builder.js';
import { roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { ValidationError } from '../../errors/app-errors.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { ROLES } from '../actors/roles.js';
import {
  passkeySecondFactorOptions,
  verifySecondFactorWithPasskey,
} from './passkey-second-factor.service.js';
import {
  addStaffPasskey,
  listStaffPasskeys,
  removeStaffPasskey,
  renameStaffPasskey,
  staffPasskeyRegistrationOptions,
  type StaffPasskeyEnrolment,
  type StaffPasskeyView,
} from './staff-passkeys.service.js';

/** Every role but participants', whose passkeys are anchored on chain (the passkeys module). */
const STAFF = ROLES.filter((r) => r !== 'participant');

/** JSON text of a WebAuthn response from @simplewebauthn/browser; the library checks the rest. */
function parseJson<T>(field: string, text: string): T {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) return value as T;
  } catch {
    // Answered below with the field named.
  }
  throw new ValidationError('Not a WebAuthn response', [
    { field, message: 'expected the JSON of a WebAuthn credential' },
  ]);
}

const StaffPasskeyType = builder.objectRef<StaffPasskeyView>('StaffPasskey').implement({
  description: 'A passkey you use as your second factor (kept by us only, not on chain).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const StaffPasskeyEnrolmentType = builder
  .objectRef<StaffPasskeyEnrolment>('StaffPasskeyEnrolment')
  .implement({
    fields: (t) => ({
      passkey: t.field({ type: StaffPasskeyType, resolve: (e) => e.passkey }),
      recoveryCodes: t.exposeStringList('recoveryCodes', {
        description:
          'One-time recovery codes, shown only now; empty unless this is your first second factor.',
      }),
    }),
  });

builder.queryField('myStaffPasskeys', (t) =>
  t.field({
    type: [StaffPasskeyType],
    authScopes: { roles: STAFF },
    resolve: (_root, _args, ctx) => listStaffPasskeys(ctx.db, ctx.viewer!),
  }),
);

builder.mutationField('staffPasskeyRegistrationOptions', (t) =>
  t.field({
    type: 'String',
    description: 'Options (JSON) for startRegistration of a second-factor passkey; five minutes.',
    authScopes: { roles: STAFF },
    errors: { types: WRITE_ERRORS },
    resolve: async (_root, _args, ctx) =>
      JSON.stringify(
        await inTransaction(ctx, (tx) =>
          staffPasskeyRegistrationOptions(tx, ctx.viewer!, ctx.config.webauthn),
        ),
      ),
  }),
);

builder.mutationField('addStaffPasskey', (t) =>
  t.field({
    type: StaffPasskeyEnrolmentType,
    description: 'Adds a second-factor passkey (JSON of startRegistration).',
    authScopes: { roles: STAFF },
    errors: { types: WRITE_ERRORS },
    args: { response: t.arg.string(), name: t.arg.string() },
    resolve: (_root, { response, name }, ctx) =>
      inTransaction(ctx, (tx) =>
        addStaffPasskey(tx, ctx.viewer!, ctx.config.webauthn, {
          response: parseJson<RegistrationResponseJSON>('response', response),
          name,
        }),
      ),
  }),
);

roleGatedWrite('renameStaffPasskey', {
  type: StaffPasskeyType,
  roles: STAFF,
  args: (t) => ({ id: t.arg.id(), name: t.arg.string() }),
  run: (tx, viewer, { id, name }) => renameStaffPasskey(tx, viewer!, { id: String(id), name }),
});

roleGatedWrite('removeStaffPasskey', {
  type: StaffPasskeyType,
  description: 'Removes a second-factor passkey; this session must have proved a second factor.',
  roles: STAFF,
  args: (t) => ({ id: t.arg.id() }),
  run: (tx, viewer, { id }) => removeStaffPasskey(tx, viewer!, { id: String(id) }),
});

builder.mutationField('passkeySecondFactorOptions', (t) =>
  t.field({
    type: 'String',
    description:
      'Options (JSON) for startAuthentication with one of your second-factor passkeys, for this session; five minutes, used once.',
    authScopes: { roles: STAFF },
    errors: { types: WRITE_ERRORS },
    resolve: async (_root, _args, ctx) =>
      JSON.stringify(await passkeySecondFactorOptions(ctx.db, ctx.viewer!, ctx.config.webauthn)),
  }),
);

builder.mutationField('verifySecondFactorWithPasskey', (t) =>
  t.field({
    type: 'DateTime',
    description:
      'Proves the second factor for this session (after sign-in, or as a step-up) with a passkey assertion (JSON of startAuthentication).',
    authScopes: { roles: STAFF },
    errors: { types: WRITE_ERRORS },
    args: { response: t.arg.string() },
    resolve: (_root, { response }, ctx) =>
      verifySecondFactorWithPasskey(
        ctx.db,
        ctx.viewer!,
        ctx.config.webauthn,
        parseJson<AuthenticationResponseJSON>('response', response),
      ),
  }),
);
