import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import {
  runDatabaseCommand,
  type CommandContext,
  type CommandRequest,
} from '../cli/database-commands.js';

/**
 * A Unix socket (mode 0600, inside the data directory) on which a server holding an embedded
 * store (PGlite, the simulated chain) accepts CLI commands. The CLI cannot open those a second
 * time, so it sends the command here and the server runs it on its own connections. Filesystem
 * permissions are the authorisation, as with other local admin sockets.
 */
export async function listenControlSocket(
  socketPath: string,
  ctx: CommandContext,
): Promise<() => Promise<void>> {
  try {
    fs.unlinkSync(socketPath);
  } catch {
    // No stale socket to clear.
  }
  const server = net.createServer((conn) => {
    const lines = readline.createInterface({ input: conn });
    lines.once('line', (line) => {
      lines.close();
      void (async () => {
        const send = (msg: object) => conn.write(`${JSON.stringify(msg)}\n`);
        try {
          const request = JSON.parse(line) as CommandRequest;
          const code = await runDatabaseCommand(ctx, request, (text) =>
            send({ type: 'out', text }),
          );
          send({ type: 'exit', code });
        } catch (error) {
          send({ type: 'out', text: `error: ${(error as Error).message}` });
          send({ type: 'exit', code: 1 });
        }
        conn.end();
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return () => new Promise((resolve) => server.close(() => resolve()));
}

/** Sends one command to a running server and streams its output; resolves to the exit code. */
export function sendControlCommand(
  socketPath: string,
  request: CommandRequest,
  out: (text: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(socketPath, () => conn.write(`${JSON.stringify(request)}\n`));
    let exitCode: number | null = null;
    readline.createInterface({ input: conn }).on('line', (line) => {
      const msg = JSON.parse(line) as
        { type: 'out'; text: string } | { type: 'exit'; code: number };
      if (msg.type === 'out') out(msg.text);
      else exitCode = msg.code;
    });
    conn.on('error', reject);
    conn.on('close', () =>
      exitCode === null ? reject(new Error('server closed the connection')) : resolve(exitCode),
    );
  });
}
