import { z } from 'zod';

/**
 * Chain settings from the environment. Without `CHAIN_RPC_URL` the server runs the embedded chain
 * (in `DATA_DIR/chain`); with it, every other real-chain variable is required.
 */

export type ChainConfig =
  | { mode: 'embedded'; prefix: string; contractAddress?: string }
  | {
      mode: 'real';
      rpcUrl: string;
      mnemonic: string;
      prefix: string;
      gasPrice: string;
      /** How often CosmJS asks whether a broadcast tx is in a block (ms). */
      broadcastPollMs: number;
      /** When set, the node must report this chain id (a guard against the wrong network). */
      expectedChainId?: string;
      contractAddress?: string;
    };

const nonEmpty = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const EnvSchema = z
  .object({
    CHAIN_RPC_URL: nonEmpty.pipe(z.url({ protocol: /^(https?|wss?)$/ }).optional()),
    CHAIN_MNEMONIC: nonEmpty,
    CHAIN_PREFIX: nonEmpty.pipe(
      z
        .string()
        .regex(/^[a-z][a-z0-9]{0,82}$/, 'lowercase bech32 prefix')
        .optional(),
    ),
    CHAIN_GAS_PRICE: nonEmpty.pipe(
      z
        .string()
        .regex(/^\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/, 'e.g. 0.025ustake')
        .optional(),
    ),
    CONSENT_CONTRACT_ADDRESS: nonEmpty,
    CHAIN_ID: nonEmpty.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,50}$/, 'a chain id such as consentome-local')
        .optional(),
    ),
    CHAIN_BROADCAST_POLL_MS: nonEmpty.pipe(
      z
        .string()
        .regex(/^\d{2,5}$/, 'milliseconds, 50..60000')
        .transform(Number)
        .pipe(z.number().min(50).max(60_000))
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (!env.CHAIN_RPC_URL) return;
    for (const key of ['CHAIN_MNEMONIC', 'CHAIN_GAS_PRICE'] as const) {
      if (!env[key])
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is required when CHAIN_RPC_URL is set`,
        });
    }
    const words = env.CHAIN_MNEMONIC?.split(/\s+/).length ?? 0;
    if (env.CHAIN_MNEMONIC && ![12, 15, 18, 21, 24].includes(words)) {
      // Never echo the mnemonic itself.
      ctx.addIssue({
        code: 'custom',
        path: ['CHAIN_MNEMONIC'],
        message: `expected 12..24 words, got ${words}`,
      });
    }
  });

export class ChainConfigError extends Error {
  override readonly name = 'ChainConfigError';
}

/** Parses CHAIN_* / CONSENT_CONTRACT_ADDRESS; throws ChainConfigError listing every problem. */
export function readChainConfig(
  env: Record<string, string | undefined> = process.env,
): ChainConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ChainConfigError(`invalid chain configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const prefix = e.CHAIN_PREFIX ?? 'wasm';
  const contract = e.CONSENT_CONTRACT_ADDRESS
    ? { contractAddress: e.CONSENT_CONTRACT_ADDRESS }
    : {};
  if (!e.CHAIN_RPC_URL) return { mode: 'embedded', prefix, ...contract };
  return {
    mode: 'real',
    rpcUrl: e.CHAIN_RPC_URL,
    mnemonic: e.CHAIN_MNEMONIC!,
    prefix,
    gasPrice: e.CHAIN_GAS_PRICE!,
    broadcastPollMs: e.CHAIN_BROADCAST_POLL_MS ?? 200,
    ...(e.CHAIN_ID ? { expectedChainId: e.CHAIN_ID } : {}),
    ...contract,
  };
}
