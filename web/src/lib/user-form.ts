import { ROLES, type Role } from './roles';
import type { FieldErrors } from './validate';
import { formText } from './form-text';

/** What an administrator typed into "create an account" (the password is never sent back). */
export interface CreateUserValues {
  email: string;
  displayName: string;
  role: string;
  institution: string;
  password: string;
}

/** Reads the form. */
export function readCreateUserForm(form: FormData): CreateUserValues {
  const s = (n: string) => formText(form, n);
  return {
    email: s('email'),
    displayName: s('displayName'),
    role: s('role'),
    institution: s('institution'),
    password: s('password'),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The API's minimum password length (MIN_PASSWORD_LENGTH on the server). */
export const MIN_PASSWORD_LENGTH = 12;

/** Checks the form the way the API will, and returns the API's CreateUserInput. */
export function validateCreateUser(v: CreateUserValues): {
  errors: FieldErrors;
  input: {
    email: string;
    displayName: string;
    role: Role;
    password: string;
    institution: string | null;
  };
} {
  const errors: FieldErrors = {};
  const email = v.email.trim();
  const displayName = v.displayName.trim();
  const institution = v.institution.trim();
  if (!EMAIL.test(email) || email.length > 254) errors.email = 'Enter a valid e-mail address.';
  if (displayName.length === 0) errors.displayName = 'Enter the name to show for this person.';
  else if (displayName.length > 200) errors.displayName = 'Keep the name to 200 characters.';
  if (!(ROLES as readonly string[]).includes(v.role)) errors.role = 'Choose a role.';
  if (institution.length > 200) errors.institution = 'Keep the institution to 200 characters.';
  if (v.password.length < MIN_PASSWORD_LENGTH)
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (v.password.length > 256) errors.password = 'Use at most 256 characters.';
  return {
    errors,
    input: {
      email,
      displayName,
      // Sent only when `errors` is empty, that is when the role was checked above.
      role: v.role as Role,
      password: v.password,
      institution: institution || null,
    },
  };
}
