import { builder } from '../../builder.js';
import { roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { ErrorInterface, WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { changeUserRole, disableUser, enableUser } from './account-admin.service.js';
import { RoleEnum, UserType } from './accounts.types.js';
import { LastAdminError } from './last-admin-error.js';

builder.objectType(LastAdminError, {
  name: 'LastAdminError',
  description: 'The change would leave no active administrator.',
  interfaces: [ErrorInterface],
});

const ChangeUserRoleInput = builder.inputType('ChangeUserRoleInput', {
  fields: (t) => ({ userId: t.id(), role: t.field({ type: RoleEnum }) }),
});

builder.mutationField('changeUserRole', (t) =>
  t.field({
    type: UserType,
    description: 'An administrator gives an account another role. Never demotes the last admin.',
    authScopes: { roles: ['admin'] },
    errors: { types: [...WRITE_ERRORS, LastAdminError] },
    args: { input: t.arg({ type: ChangeUserRoleInput }) },
    resolve: (_root, { input }, ctx) =>
      inTransaction(ctx, (tx) => changeUserRole(tx, ctx.viewer, input)),
  }),
);

builder.mutationField('disableUser', (t) =>
  t.field({
    type: UserType,
    description:
      'An administrator disables an account: it cannot sign in and its sessions end. Never the last admin, never oneself.',
    authScopes: { roles: ['admin'] },
    errors: { types: [...WRITE_ERRORS, LastAdminError] },
    args: { userId: t.arg.id() },
    resolve: (_root, { userId }, ctx) =>
      inTransaction(ctx, (tx) => disableUser(tx, ctx.viewer, userId)),
  }),
);

roleGatedWrite('enableUser', {
  type: UserType,
  description: 'An administrator lets a disabled account sign in again.',
  roles: ['admin'],
  args: (t) => ({ userId: t.arg.id() }),
  run: (tx, viewer, { userId }) => enableUser(tx, viewer, userId),
});
