import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export type Driver = 'pglite' | 'postgres';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Where one run of the suite keeps its data: a fresh DATA_DIR, and a fresh database on PostgreSQL. */
export interface Target {
  driver: Driver;
  dataDir: string;
  /** Environment for `consentome` processes on this target. */
  env: Record<string, string>;
  databaseUrl: string | null;
  dispose(): Promise<void>;
}

/** A fresh target; the demo is seeded on first start (DEMO_SEED=true on both drivers). */
export async function createTarget(driver: Driver, label: string): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `consentome-load-${label}-`));
  let databaseUrl: string | null = null;
  let name = '';
  if (driver === 'postgres') {
    name = `consentome_load_${randomBytes(5).toString('hex')}`;
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  return {
    driver,
    dataDir,
    databaseUrl,
    env: {
      DATA_DIR: dataDir,
      DEMO_SEED: 'true',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    dispose: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (name) {
        const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    },
  };
}
