import type { MailMessage, MailPort } from '../modules/notifications/mail-port.js';

/** A mail port that keeps every message it is handed, for tests that read what was mailed. */
export interface RecordingMail {
  port: MailPort;
  /** Every message sent so far, oldest first. */
  sent: MailMessage[];
  /**
   * Waits (up to a second) for the `count`-th message, to `to` when given, and returns it:
   * the API sends its mail after it answered, so a test cannot read it at once.
   */
  waitFor(count: number, to?: string): Promise<MailMessage | undefined>;
}

/** A fresh recording mail port; hand `port` to `createAppServices` as its `mail`. */
export function recordingMail(): RecordingMail {
  const sent: MailMessage[] = [];
  const matching = (to?: string) => (to ? sent.filter((m) => m.to === to) : sent);
  return {
    sent,
    port: {
      kind: 'log',
      send: (m) => {
        sent.push(m);
        return Promise.resolve();
      },
      close: () => undefined,
    },
    async waitFor(count, to) {
      for (let i = 0; i < 100 && matching(to).length < count; i += 1)
        await new Promise((r) => setTimeout(r, 10));
      return matching(to)[count - 1];
    },
  };
}

/** The one-time token in a mailed link (`…#token=…`), if the message carries one. */
export const linkTokenOf = (m: MailMessage | undefined): string | undefined =>
  /#token=([\w-]+)/.exec(m?.text ?? '')?.[1];
