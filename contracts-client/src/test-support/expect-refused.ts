import { expect } from 'vitest';
import { ChainError } from '../errors.js';
import type { ContractErrorKind } from '../errors.js';

/**
 * Awaits `action`, asserts that the contract refused it with an error of `kind` (not a transport
 * failure, and not worth retrying), and returns the error for further checks.
 */
export async function expectRefused(
  action: Promise<unknown>,
  kind: ContractErrorKind,
): Promise<ChainError> {
  const err = await action.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChainError);
  const chainErr = err as ChainError;
  expect({
    code: chainErr.code,
    kind: chainErr.contractKind,
    message: chainErr.message,
  }).toMatchObject({
    code: 'contract',
    kind,
  });
  expect(chainErr.retryable).toBe(false);
  return chainErr;
}
