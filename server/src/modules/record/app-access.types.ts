import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import { authoriseApp, myApps, revokeApp, type AppAuthorisation } from './app-access.service.js';

const RecordAppType = builder.objectRef<AppAuthorisation>('RecordApp').implement({
  description:
    'An app you authorised to read your record (scope patient/*.read) through GET /fhir/Patient/$everything.',
  fields: (t) => ({
    id: t.exposeID('id'),
    appName: t.exposeString('appName'),
    scope: t.exposeString('scope'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const IssuedAppTokenType = builder
  .objectRef<AppAuthorisation & { token: string }>('IssuedAppToken')
  .implement({
    fields: (t) => ({
      app: t.field({ type: RecordAppType, resolve: (a) => a }),
      token: t.exposeString('token', {
        description: 'The bearer token for the app: shown this once, only its digest is kept.',
      }),
    }),
  });

builder.queryField('myApps', (t) =>
  t.field({
    type: [RecordAppType],
    description: 'The apps you authorised to read your record, newest first.',
    authScopes: { roles: ['participant'] },
    resolve: (_root, _args, ctx) => inTransaction(ctx, (tx) => myApps(tx, ctx.viewer)),
  }),
);

builder.mutationField('authoriseApp', (t) =>
  t.field({
    type: IssuedAppTokenType,
    description:
      'Lets an app read your whole record (FHIR Patient/$everything, read only) for 1–365 days; revoke it at any time.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { appName: t.arg.string(), days: t.arg.int() },
    resolve: (_root, args, ctx) => inTransaction(ctx, (tx) => authoriseApp(tx, ctx.viewer, args)),
  }),
);

builder.mutationField('revokeApp', (t) =>
  t.field({
    type: RecordAppType,
    description: 'Ends an app’s access to your record at once.',
    authScopes: { roles: ['participant'] },
    errors: { types: WRITE_ERRORS },
    args: { appId: t.arg.id() },
    resolve: (_root, { appId }, ctx) =>
      inTransaction(ctx, (tx) => revokeApp(tx, ctx.viewer, String(appId))),
  }),
);
