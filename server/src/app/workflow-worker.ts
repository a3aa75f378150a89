import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import { sendWeeklyDigests } from '../modules/audit-explorer/weekly-digest.service.js';
import { sweepRenewals } from '../modules/grants/grant-renewals.service.js';
import { sweepGrants } from '../modules/grants/grants.service.js';
import { endLapsedRepresentations } from '../modules/participants/representation.service.js';
import { deliverPendingMail } from '../modules/notifications/mail-delivery.js';
import type { MailPort } from '../modules/notifications/mail-port.js';
import type { ConsentRequestTiming } from '../config.js';
import type { CohortEngine } from '../modules/cohorts/cohort-engine.js';
import { sweepElectionDeadlines } from '../modules/review/election-deadlines.js';
import { askLateJoiners } from '../modules/studies/late-joiners.js';
import { sendDueReminders } from '../modules/studies/consent-reminders.js';
import { sweepExpiredDocuments } from '../modules/studies/study-documents.service.js';

/** What the consent-request round needs: the cohort index, and when studies ask. */
export interface AskingRound {
  cohorts: CohortEngine;
  when: ConsentRequestTiming;
}

/**
 * Timed workflow chores of one API instance: expire grants and send their 30-day notices, remind
 * grantees of their annual renewal (60, 30, 7 days) and flag missed renewals, remind committee
 * members of a vote's deadline and flag overdue elections, write
 * participants' weekly summaries, ask people who joined a study's cohort late, remind those who
 * have not answered a request (on their schedule), and deliver notification e-mail. Both claim what they work on with `FOR UPDATE SKIP LOCKED`, so
 * several instances may run them.
 */
export class WorkflowWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly mail: MailPort,
    private readonly log: Logger,
    private readonly asking?: AskingRound,
    /** Days a decided request's documents are kept (DOCUMENT_RETENTION_DAYS); unset: kept. */
    private readonly documentRetentionDays?: number,
  ) {}

  /** Runs the chores `everyMs` after the previous round ended (rounds never overlap). */
  start(everyMs = 5_000): void {
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.runOnce()
          .catch((error: unknown) =>
            this.log.error('workflow chores failed', { error: (error as Error).message }),
          )
          .finally(schedule);
      }, everyMs);
    };
    schedule();
  }

  /**
   * One round: sweep grants, end representations whose end has come (asking each participant to
   * confirm), write due weekly summaries, then send pending mail.
   */
  async runOnce(now = new Date()): Promise<void> {
    const swept = await sweepGrants(this.db, now);
    if (swept.expired || swept.noticed) this.log.info('grants swept', swept);
    const renewals = await sweepRenewals(this.db, now);
    if (renewals.reminded || renewals.overdue) this.log.info('grant renewals swept', renewals);
    const elections = await sweepElectionDeadlines(this.db, now);
    if (elections.reminded || elections.overdue) this.log.info('vote deadlines swept', elections);
    const ended = await endLapsedRepresentations(this.db, now);
    if (ended) this.log.info('representations ended', { ended });
    const digests = await sendWeeklyDigests(this.db, now);
    if (digests.sent) this.log.info('weekly summaries written', digests);
    if (this.asking) {
      const late = await askLateJoiners(
        this.db,
        await this.asking.cohorts.current(),
        this.asking.when,
      );
      if (late.asked) this.log.info('late joiners asked', late);
    }
    const reminded = await sendDueReminders(this.db, now);
    if (reminded.sent) this.log.info('consent reminders sent', reminded);
    if (this.documentRetentionDays) {
      const docs = await sweepExpiredDocuments(this.db, this.documentRetentionDays, now);
      if (docs.deleted) this.log.info('request documents past retention deleted', docs);
    }
    const mailed = await deliverPendingMail(this.db, this.mail);
    if (mailed.failed) this.log.warn('mail delivery failed; will retry', { sent: mailed.sent });
  }

  /** Stops and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.mail.close();
  }
}
