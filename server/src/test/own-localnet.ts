import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/chain/localnet.mjs', import.meta.url));

/** A wasmd localnet of a test's own (scripts/chain/localnet.mjs), to stop, restart and reset. */
export interface OwnLocalnet {
  home: string;
  /** chain.env as variables. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/**
 * Starts the localnet script on `home` (fresh, or `reuse` to restart the chain kept there) with
 * free ports, and resolves once its chain.env is written.
 */
export async function startOwnLocalnet(home: string, reuse = false): Promise<OwnLocalnet> {
  const child = spawn(
    process.execPath,
    [script, '--home', home, '--port-base', 'auto', ...(reuse ? ['--reuse'] : [])],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env } },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const envFile = path.join(home, 'chain.env');
  for (let i = 0; !fs.existsSync(envFile); i += 1) {
    if (child.exitCode !== null) throw new Error(`the localnet failed:\n${err}`);
    if (i > 900) {
      child.kill('SIGTERM');
      throw new Error(`the localnet was not ready in 180 s:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    home,
    env: parseEnv(fs.readFileSync(envFile, 'utf8')),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Wipes the chain data of a stopped localnet's validator (`wasmd comet unsafe-reset-all`). */
export function resetOwnLocalnet(net: OwnLocalnet): void {
  execFileSync(net.env.WASMD_BIN!, ['comet', 'unsafe-reset-all', '--home', net.env.WASMD_HOME!], {
    stdio: 'ignore',
  });
}
