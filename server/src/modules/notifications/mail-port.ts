import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../../lib/logger.js';

/** One outbound e-mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The notification it carries; the only thing the log port writes. */
  notificationId: string;
  kind: string;
}

/** Where e-mail goes: an SMTP server, or the log when none is configured. */
export interface MailPort {
  readonly kind: 'smtp' | 'log' | 'outbox';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Sends through SMTP (nodemailer) at `smtpUrl`, e.g. `smtp://user:pass@mail.example:587`. */
export function smtpMailPort(smtpUrl: string, from: string): MailPort {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: 'smtp',
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
    close: () => transport.close(),
  };
}

/**
 * Without SMTP the mail is not sent; the log records that a notification of a kind would have
 * gone out, by id only: no address, no subject, no text (they can name a person or a study).
 */
export function logMailPort(log: Logger): MailPort {
  return {
    kind: 'log',
    send(message) {
      log.info('mail not sent (no SMTP_URL)', {
        notification: message.notificationId,
        kind: message.kind,
      });
      return Promise.resolve();
    },
    close: () => {},
  };
}

/**
 * A development mail outbox (MAIL_OUTBOX_DIR): each message becomes a JSON file in `dir`, so a
 * developer or a browser test can open the links a person would get (password reset, e-mail
 * confirmation). It holds addresses and links: never point it at a shared place in production.
 */
export function outboxMailPort(dir: string): MailPort {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    kind: 'outbox',
    send(message) {
      n += 1;
      const name = `${Date.now()}-${process.pid}-${n}.json`;
      // Written aside and renamed, so a reader polling the folder never sees half a message.
      const partial = path.join(dir, `.${name}.part`);
      writeFileSync(partial, JSON.stringify(message), { mode: 0o600 });
      renameSync(partial, path.join(dir, name));
      return Promise.resolve();
    },
    close: () => {},
  };
}

/** The port the configuration asks for: SMTP, else the development outbox, else the log. */
export function createMailPort(
  mail: { smtpUrl: string | null; from: string; outboxDir?: string | null },
  log: Logger,
): MailPort {
  if (mail.smtpUrl) return smtpMailPort(mail.smtpUrl, mail.from);
  return mail.outboxDir ? outboxMailPort(mail.outboxDir) : logMailPort(log);
}
