import { builder } from '../builder.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
  type AppError,
  type FieldIssue,
} from '../errors/app-errors.js';

const ErrorCodeEnum = builder.enumType('ErrorCode', {
  values: [
    'VALIDATION',
    'NOT_FOUND',
    'FORBIDDEN',
    'UNAUTHENTICATED',
    'CONFLICT',
    'RATE_LIMITED',
  ] as const,
});

/** The interface every typed error implements, so clients can always read code and message. */
export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
  }),
});

const FieldErrorRef = builder.objectRef<FieldIssue>('FieldError').implement({
  fields: (t) => ({ field: t.exposeString('field'), message: t.exposeString('message') }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (e) => e.issues }) }),
});
builder.objectType(NotFoundError, { name: 'NotFoundError', interfaces: [ErrorInterface] });
builder.objectType(ForbiddenError, { name: 'ForbiddenError', interfaces: [ErrorInterface] });
builder.objectType(UnauthenticatedError, {
  name: 'UnauthenticatedError',
  interfaces: [ErrorInterface],
});
builder.objectType(ConflictError, { name: 'ConflictError', interfaces: [ErrorInterface] });
builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

/** The errors most writes can return. */
export const WRITE_ERRORS = [ValidationError, NotFoundError, ForbiddenError, ConflictError];
