import { builder } from '../../builder.js';
import { WRITE_ERRORS } from '../../graphql/error-types.js';
import { inTransaction } from '../../graphql/run.js';
import {
  markAllNotificationsRead,
  markNotificationRead,
  myNotifications,
  type NotificationRecord,
} from './notifications.service.js';
import { NOTIFICATION_KINDS } from './notify.js';

const NotificationType = builder.objectRef<NotificationRecord>('Notification').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind', {
      description: `One of: ${Object.keys(NOTIFICATION_KINDS).join(', ')}.`,
    }),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    link: t.exposeString('link', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
  }),
});

const NotificationPageType = builder
  .objectRef<{ items: NotificationRecord[]; unread: number }>('NotificationPage')
  .implement({
    fields: (t) => ({
      items: t.field({ type: [NotificationType], resolve: (p) => p.items }),
      unread: t.exposeInt('unread'),
    }),
  });

builder.queryField('myNotifications', (t) =>
  t.field({
    type: NotificationPageType,
    description: 'Your inbox, newest first, with the unread count.',
    args: {
      unreadOnly: t.arg.boolean({ required: false }),
      limit: t.arg.int({ required: false }),
    },
    resolve: (_root, args, ctx) =>
      inTransaction(ctx, (tx) =>
        myNotifications(tx, ctx.viewer, {
          unreadOnly: args.unreadOnly ?? false,
          limit: args.limit ?? undefined,
        }),
      ),
  }),
);

builder.mutationField('markNotificationRead', (t) =>
  t.field({
    type: NotificationType,
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id() },
    resolve: (_root, { id }, ctx) =>
      inTransaction(ctx, (tx) => markNotificationRead(tx, ctx.viewer, String(id))),
  }),
);

builder.mutationField('markAllNotificationsRead', (t) =>
  t.int({
    description: 'Marks your whole inbox read; answers how many were unread.',
    resolve: (_root, _args, ctx) =>
      inTransaction(ctx, (tx) => markAllNotificationsRead(tx, ctx.viewer)),
  }),
);
