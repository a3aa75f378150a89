import { AppError } from '../../errors/app-errors.js';

/**
 * The change would leave no active administrator, and with none nobody could create accounts,
 * confirm researchers or repair this one. A conflict with its own GraphQL type, so the portal can
 * say exactly why the change was refused.
 */
export class LastAdminError extends AppError {
  readonly code = 'CONFLICT' as const;
  constructor(message = 'This is the last active administrator: appoint another one first') {
    super(message);
    this.name = 'LastAdminError';
  }
}
