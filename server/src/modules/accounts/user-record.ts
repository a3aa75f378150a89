import type { Role } from '../actors/roles.js';

/** A user as the rest of the system sees it (never with the password hash). */
export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  institution: string | null;
  createdAt: Date;
  /** When an administrator disabled the account (it cannot sign in), or null. */
  disabledAt: Date | null;
  /** When an administrator confirmed this researcher's status, or null. */
  researcherStatusConfirmedAt: Date | null;
  /** When the current e-mail address was confirmed (a link opened, or the institution said so). */
  emailVerifiedAt: Date | null;
  /** The language the person chose (`en`, `es`), or null when they have not chosen. */
  locale: string | null;
}
