import { z } from 'zod';
import { ROLES } from '../modules/actors/roles.js';

/** An identifier as the API hands it out (UUID). */
export const idSchema = z.uuid({ message: 'must be a valid id' });

/** An e-mail address, normalised to lower case. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be a valid e-mail address' }).max(254));

/** Minimum password length, as NIST SP 800-63B recommends for user-chosen secrets (plus margin). */
export const MIN_PASSWORD_LENGTH = 12;

/** A password chosen by a person. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(256, { message: 'must be at most 256 characters' });

/** A role name. */
export const roleSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });

/** A short human-readable name. */
export const nameSchema = z.string().trim().min(1, { message: 'is required' }).max(200);
