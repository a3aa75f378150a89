import { AppError } from '../errors/app-errors.js';

/** The HTTP status of each code the REST doors answer with; any other code is a 400. */
const STATUS: Record<string, number> = {
  VALIDATION: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/**
 * A service's expected error (an AppError) as a REST door answers it: `{ error, code }` with its
 * HTTP status. Null for any other error, which the door rethrows.
 */
export function appErrorResponse(error: unknown): Response | null {
  if (!(error instanceof AppError)) return null;
  return Response.json(
    { error: error.message, code: error.code },
    { status: STATUS[error.code] ?? 400 },
  );
}
