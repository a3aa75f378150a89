import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, postGraphQL } from '../src/test/api-process.js';

export { freePort };

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** Runs the real CLI (`consentome …`) to completion; answers its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; child: ChildProcess }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 137 : 1), out, child }));
  });
}

/** Spawns the CLI without waiting (to kill it part-way). */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A `consentome serve` process on loopback. */
export interface ServerProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  /** SIGKILL: no shutdown code runs, as in a power cut or an OOM kill. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the clean shutdown. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** Starts `consentome serve` with `env` and waits until /health answers. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    env: {
      ...process.env,
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('serve did not become healthy in 180 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url: `${origin}/graphql`,
    origin,
    child,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** POSTs one GraphQL operation; throws on transport errors, answers the JSON. */
export const gql = postGraphQL;

/** Signs a demo account in and answers its bearer token. */
export async function signIn(url: string, email: string): Promise<string> {
  const res = await gql<{ login: { data?: { token: string } } }>(
    url,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on MutationLoginSuccess { data { token } } } }`,
    { e: email, p: 'demo-password' },
  );
  const token = res.data?.login.data?.token;
  if (!token) throw new Error(`sign-in of ${email} failed: ${JSON.stringify(res)}`);
  return token;
}
