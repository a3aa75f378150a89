import type { Logger } from '../lib/logger.js';

/** One line a capturing logger was given. */
export interface CapturedLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps what it was given, in order, for a test to read back. */
export function capturingLogger(): { log: Logger; lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  const log: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { log, lines };
}
