/** Field errors keyed by field name, as forms show them. */
export type FieldErrors = Partial<Record<string, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the sign-in form before it is sent (the API checks again). */
export function validateLogin(email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!EMAIL.test(email.trim())) errors.email = 'Enter a valid e-mail address.';
  if (password.length === 0) errors.password = 'Enter your password.';
  return errors;
}

/** Checks the enrolment form before it is sent. */
export function validateEnrol(input: {
  code: string;
  email: string;
  password: string;
  displayName: string;
}): FieldErrors {
  const errors: FieldErrors = {};
  if (input.code.replace(/[^0-9A-Za-z]/g, '').length < 12)
    errors.code = 'Enter the 16-character code from your study site.';
  if (!EMAIL.test(input.email.trim())) errors.email = 'Enter a valid e-mail address.';
  if (input.password.length < 12) errors.password = 'Use at least 12 characters.';
  if (input.displayName.trim().length === 0)
    errors.displayName = 'Enter the name we should greet you with.';
  return errors;
}

/** The field errors in a form action's answer; none when it has none (or there is no answer). */
export function answeredErrors(form: object | null | undefined): FieldErrors {
  return form && 'errors' in form ? ((form.errors as FieldErrors | undefined) ?? {}) : {};
}
