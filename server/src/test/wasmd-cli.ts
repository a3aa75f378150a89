import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A smart query through the `wasmd` binary itself (`wasmd query wasm contract-state smart`): a
 * reader nobody on this project wrote, to check what our client and API say is on chain.
 */
export async function wasmdSmartQuery<T>(
  contract: string,
  msg: object,
  node = process.env.CHAIN_RPC_URL,
): Promise<T> {
  const bin = process.env.WASMD_BIN;
  if (!bin || !node) throw new Error('WASMD_BIN and CHAIN_RPC_URL are needed (chain.env)');
  const { stdout } = await run(
    bin,
    [
      'query',
      'wasm',
      'contract-state',
      'smart',
      contract,
      JSON.stringify(msg),
      '--node',
      node,
      '-o',
      'json',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as { data: T }).data;
}
