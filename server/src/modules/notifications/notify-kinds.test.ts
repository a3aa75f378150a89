import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DRIVER, createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { users } from '../accounts/accounts.tables.js';
import { NOTIFICATION_KINDS, notify } from './notify.js';
import { notifications } from './notifications.tables.js';

const SRC = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('every notification kind is classified (recontact gates the ones not about own data)', () => {
  it('each kind has an audience and a reason', () => {
    for (const [kind, c] of Object.entries(NOTIFICATION_KINDS)) {
      expect(['own-data', 'recontact', 'staff'], kind).toContain(c.audience);
      expect(c.why.length, kind).toBeGreaterThan(10);
    }
  });

  it('every kind the product sends is one of them', () => {
    const sent = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      if (!/\bnotify\(/.test(text)) continue;
      // A message literal: its kind, then its title (actor kinds and others have no title).
      for (const m of text.matchAll(/\bkind:\s*'([a-z_]+)',\s*title:/g)) {
        sent.add(m[1]!);
        expect(Object.keys(NOTIFICATION_KINDS), `${relative(SRC, file)}: ${m[1]}`).toContain(m[1]);
      }
    }
    // The scan found the senders (so it would notice an unclassified one).
    expect(sent.size).toBeGreaterThanOrEqual(8);
  });

  it('only the consent module’s gate clears recipients of a recontact kind', () => {
    const makers = sourceFiles(SRC)
      .filter((f) => readFileSync(f, 'utf8').includes('new RecontactCleared('))
      .map((f) => relative(SRC, f));
    expect(makers).toEqual(['modules/consent/recontact-gate.ts']);
  });
});

describe(`notify refuses a recontact kind without the gate (${TEST_DRIVER})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('throws and writes nothing', async () => {
    const [user] = await db.db
      .insert(users)
      .values({
        id: crypto.randomUUID(),
        email: 'someone@test.local',
        passwordHash: 'x',
        displayName: 'Someone',
        role: 'participant',
      })
      .returning();
    await expect(
      db.db.transaction((tx) =>
        notify(tx, [user!.id], { kind: 'return_of_results', title: 'T', body: 'B' }),
      ),
    ).rejects.toThrow(/recontact gate/);
    expect(await db.db.select().from(notifications)).toHaveLength(0);
    // An own-data kind goes out with a plain list.
    await db.db.transaction((tx) =>
      notify(tx, [user!.id], { kind: 'consent_request', title: 'T', body: 'B' }),
    );
    expect(await db.db.select().from(notifications)).toHaveLength(1);
  });
});
