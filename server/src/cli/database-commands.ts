import type { DatabaseHandle } from '../db/database.js';
import { migrateDatabase } from '../db/migrate.js';
import { AppError } from '../errors/app-errors.js';
import { createUser } from '../modules/accounts/accounts.service.js';
import { systemActor } from '../modules/accounts/actor.js';
import { verifyAuditChain } from '../modules/audit/audit-verify.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../modules/demo/demo-accounts.js';
import { isDatabaseEmpty, seedDemo } from '../modules/demo/seed-demo.js';

/** A CLI command that needs the database, as sent to a running server or run in-process. */
export type CommandRequest =
  | { command: 'migrate' }
  | { command: 'seed-demo' }
  | {
      command: 'users-create';
      input: {
        email: string;
        password: string;
        displayName: string;
        role: string;
        institution?: string;
      };
    }
  | { command: 'audit-verify' };

/** Prints the demo accounts (the password is the public demo password, never a real secret). */
export function demoAccountLines(): string[] {
  return [
    'Demo accounts (password for all: ' + DEMO_PASSWORD + '):',
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role}`),
  ];
}

/**
 * Runs one database command and returns its exit code. The same function serves the CLI
 * in-process (PostgreSQL, or PGlite when no server holds it) and a running server's control socket.
 */
export async function runDatabaseCommand(
  handle: DatabaseHandle,
  request: CommandRequest,
  out: (text: string) => void,
): Promise<number> {
  const { db } = handle;
  try {
    switch (request.command) {
      case 'migrate': {
        await migrateDatabase(handle);
        out(`Migrations applied (${handle.kind}).`);
        return 0;
      }
      case 'seed-demo': {
        if (!(await isDatabaseEmpty(db))) {
          out(
            'The database already has accounts; demo data is seeded only into an empty database.',
          );
          return 1;
        }
        await seedDemo(db);
        out('Seeded demo data.');
        demoAccountLines().forEach((l) => out(l));
        return 0;
      }
      case 'users-create': {
        const user = await db.transaction((tx) =>
          createUser(tx, systemActor('cli'), request.input),
        );
        out(`Created ${user.role} ${user.email} (${user.id}).`);
        return 0;
      }
      case 'audit-verify': {
        const result = await verifyAuditChain(db);
        if (result.ok) {
          out(`Audit trail intact: ${result.checkedEvents} events, head ${result.headHash}.`);
          return 0;
        }
        out(
          `Audit trail BROKEN at event ${result.firstBroken!.seq}: ${result.firstBroken!.reason}.`,
        );
        out(`${result.checkedEvents} events before it verified.`);
        return 2;
      }
    }
  } catch (error) {
    if (error instanceof AppError) {
      out(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
