/** Machine-readable codes of the errors a client is expected to handle. */
export type ErrorCode =
  'VALIDATION' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT' | 'RATE_LIMITED';

/** One invalid input field and why. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Base of every expected error: it carries a stable code, and its message is safe to show. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
}

/** Input was malformed or broke a rule; nothing was written. */
export class ValidationError extends AppError {
  readonly code = 'VALIDATION' as const;
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/**
 * The thing does not exist, or the caller may not know it exists: reading another participant's
 * record answers this, never "forbidden", so existence does not leak.
 */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND' as const;
  constructor(readonly entity: string) {
    super(`${entity} not found`);
    this.name = 'NotFoundError';
  }
}

/** The caller is signed in but their role may not do this. */
export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN' as const;
  constructor(message = 'You are not allowed to do this') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The caller must sign in first (or their session expired). */
export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(message = 'Sign in first') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** The write clashes with existing state (a duplicate, a used code, a stale version). */
export class ConflictError extends AppError {
  readonly code = 'CONFLICT' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Too many attempts; try again after `retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED' as const;
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      retryAfterSeconds < 60
        ? `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds)} second(s).`
        : `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
    );
    this.retryAfterSeconds = Math.ceil(retryAfterSeconds);
    this.name = 'RateLimitedError';
  }
}
