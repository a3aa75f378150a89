import { builder } from '../../builder.js';
import { NotFoundError } from '../../errors/app-errors.js';
import { inTransaction } from '../../graphql/run.js';
import {
  endOwnSession,
  listOwnSessions,
  type OwnSession,
} from '../accounts/own-sessions.service.js';
import { sessionMethods } from './session-methods.js';

/** A session with how it was opened; here because `session_auth` belongs to identity. */
interface SignedInSession extends OwnSession {
  amr: string[];
}

/** A password login records no method of its own: its `amr` is RFC 8176's `pwd`. */
const PASSWORD_ONLY = ['pwd'];

const SignedInSessionType = builder.objectRef<SignedInSession>('SignedInSession').implement({
  description: 'One place where you are signed in.',
  fields: (t) => ({
    id: t.exposeID('id'),
    device: t.exposeString('device', {
      nullable: true,
      description:
        'Browser and system, e.g. "Firefox on Windows" (nothing more is kept); null when not recognised.',
    }),
    amr: t.exposeStringList('amr', {
      description:
        'How the session was signed in (RFC 8176): pwd (password), fed (institution), hwk (passkey), otp (authenticator code), mfa.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was opened.' }),
    lastSeenAt: t.expose('lastSeenAt', {
      type: 'DateTime',
      description: 'When it was last used, to the minute.',
    }),
    current: t.exposeBoolean('current', { description: 'True for the session asking.' }),
  }),
});

builder.queryField('mySessions', (t) =>
  t.field({
    type: [SignedInSessionType],
    description: 'Where you are signed in: your live sessions, most recently used first.',
    resolve: async (_root, _args, ctx) => {
      const own = await listOwnSessions(ctx.db, ctx.viewer!);
      const methods = await sessionMethods(
        ctx.db,
        own.map((s) => s.id),
      );
      return own.map((s) => ({ ...s, amr: methods.get(s.id) ?? PASSWORD_ONLY }));
    },
  }),
);

builder.mutationField('endSession', (t) =>
  t.boolean({
    description:
      'Ends one of your sessions (signs that device out); NOT_FOUND for anything else. Ending the current one is allowed.',
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx) => {
      await inTransaction(ctx, (tx) => endOwnSession(tx, ctx.viewer!, String(id)));
      return true;
    },
  }),
);
