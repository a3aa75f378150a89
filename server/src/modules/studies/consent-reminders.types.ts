import { builder } from '../../builder.js';
import { roleGatedRead, roleGatedWrite } from '../../graphql/role-gated-fields.js';
import { inTransaction } from '../../graphql/run.js';
import {
  myReminderSchedule,
  setReminderSchedule,
  type ReminderSchedule,
} from './consent-reminders.js';
import { responseRates, type ResponseRates } from './response-rates.js';
import { StudyType } from './studies.types.js';

const ReminderScheduleType = builder.objectRef<ReminderSchedule>('ReminderSchedule').implement({
  description: 'How you are reminded of study requests you have not answered.',
  fields: (t) => ({
    everyDays: t.exposeInt('everyDays', { description: 'Days between reminders (7 to 90).' }),
    maxReminders: t.exposeInt('maxReminders', {
      description: 'At most this many reminders per request (1 to 10).',
    }),
    stopped: t.exposeBoolean('stopped', { description: 'No reminders at all.' }),
  }),
});

roleGatedRead('myReminderSchedule', {
  type: ReminderScheduleType,
  description: 'Your reminder schedule (participants only; the default until you change it).',
  roles: ['participant'],
  run: (tx, viewer) => myReminderSchedule(tx, viewer),
});

roleGatedWrite('setReminderSchedule', {
  type: ReminderScheduleType,
  description: 'Changes or stops your reminders; out of bounds is refused and changes nothing.',
  roles: ['participant'],
  args: (t) => ({
    everyDays: t.arg.int(),
    maxReminders: t.arg.int(),
    stopped: t.arg.boolean(),
  }),
  run: (tx, viewer, args) => setReminderSchedule(tx, viewer, args),
});

const ResponseRatesType = builder.objectRef<ResponseRates>('ConsentResponseRates').implement({
  description: 'How the people a study asked have answered: counts, never names.',
  fields: (t) => ({
    asked: t.exposeInt('asked'),
    answeredYes: t.exposeInt('answeredYes'),
    answeredNo: t.exposeInt('answeredNo'),
    waiting: t.exposeInt('waiting'),
    remindersSent: t.exposeInt('remindersSent', {
      description: 'Reminders sent for the study’s requests, all together.',
    }),
  }),
});

builder.objectField(StudyType, 'consentResponses', (t) =>
  t.field({
    type: ResponseRatesType,
    description: 'Response rates of the consent requests this study sent (counts only). Audited.',
    resolve: (study, _args, ctx) =>
      inTransaction(ctx, (tx) => responseRates(tx, ctx.viewer, study.id)),
  }),
);
