import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
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

roleGatedRead('myApps', {
  type: [RecordAppType],
  description: 'The apps you authorised to read your record, newest first.',
  roles: ['participant'],
  run: (tx, viewer) => myApps(tx, viewer),
});

roleGatedWrite('authoriseApp', {
  type: IssuedAppTokenType,
  description:
    'Lets an app read your whole record (FHIR Patient/$everything, read only) for 1–365 days; revoke it at any time.',
  roles: ['participant'],
  args: (t) => ({ appName: t.arg.string(), days: t.arg.int() }),
  run: (tx, viewer, args) => authoriseApp(tx, viewer, args),
});

roleGatedWrite('revokeApp', {
  type: RecordAppType,
  description: 'Ends an app’s access to your record at once.',
  roles: ['participant'],
  args: (t) => ({ appId: t.arg.id() }),
  run: (tx, viewer, { appId }) => revokeApp(tx, viewer, String(appId)),
});
