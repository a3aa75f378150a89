import { AppError } from '../errors/app-errors.js';

/** The expected error behind a (possibly wrapped) GraphQL error, if there is one. */
export function findAppError(error: unknown): AppError | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    if (e instanceof AppError) return e;
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  return null;
}
