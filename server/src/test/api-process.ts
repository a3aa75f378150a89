import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

/** A free TCP port on 127.0.0.1 (the OS picks it; closed again before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The API (`consentome serve`, from source) in its own process. */
export interface ApiProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** What the process wrote, for failure messages. */
  output(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the API as a separate process with exactly `env` (plus PATH/HOME) and waits until
 * /health answers. The process can be killed with SIGKILL like a crashed server.
 */
export async function startApiProcess(
  env: Record<string, string>,
  /** Extra Node options before the script (a benchmark's `--cpu-prof`). */
  nodeArgs: string[] = [],
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'serve'],
    {
      cwd: serverDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
        LOG_LEVEL: 'warn',
        // Suites using this predate the second-factor policy, which has its own tests.
        MFA_REQUIRED_ROLES: '',
        STEP_UP_ACTIONS: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the API exited before it was healthy:\n${out}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 1_200) {
      child.kill('SIGKILL');
      throw new Error(`the API was not healthy within 120 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url: `${base}/graphql`,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A GraphQL response as sent over HTTP. */
export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string }[];
}

/** POSTs one GraphQL operation over HTTP; throws on transport errors, answers the JSON. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResponse<T>;
}

/** A GraphQL call over HTTP; throws on transport or GraphQL errors. */
export async function graphqlCall<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const body = await postGraphQL<T>(url, query, variables, token);
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors ?? body));
  return body.data;
}

/** Logs in over HTTP and returns the bearer token. */
export async function loginOverHttp(url: string, email: string, password: string): Promise<string> {
  const data = await graphqlCall<{ login: { data?: { token: string } } }>(
    url,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ... on MutationLoginSuccess { data { token } } } }`,
    { e: email, p: password },
  );
  const token = data.login.data?.token;
  if (!token) throw new Error(`login of ${email} failed`);
  return token;
}
