import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';
import type { FieldErrors } from './validate';

/** A form checked in the browser before it is sent; the server checks it again. */
export interface CheckedForm {
  /** What the last check found, or null when it passed (or none ran yet). */
  readonly clientErrors: FieldErrors | null;
  /** True from the moment the form is sent until the page has its answer. */
  readonly submitting: boolean;
  /** Pass to `use:enhance`. */
  readonly submit: SubmitFunction;
}

/** How a checked form checks its values and what it does around sending them. */
export interface CheckedFormOptions {
  /** The errors in the form's values, by field name (empty when they are fine). */
  check: (formData: FormData) => FieldErrors;
  /**
   * A selector for the first field to correct: when set, a failed check takes the keyboard
   * there (long forms, where the error may be out of sight).
   */
  focusInvalid?: string;
  /** Empty the fields once the answer is a success (default: keep what was typed). */
  resetOnSuccess?: boolean;
}

/**
 * Checks a form before it is sent: a failed check cancels the submission and keeps the errors
 * to show beside their fields; a passing one sends the form and tracks it until the answer.
 */
export function checkedForm(options: CheckedFormOptions): CheckedForm {
  let clientErrors = $state<FieldErrors | null>(null);
  let submitting = $state(false);
  const submit: SubmitFunction = ({ formData, cancel }) => {
    const found = options.check(formData);
    clientErrors = Object.keys(found).length ? found : null;
    if (clientErrors) {
      cancel();
      const selector = options.focusInvalid;
      if (selector) void tick().then(() => document.querySelector<HTMLElement>(selector)?.focus());
      return;
    }
    submitting = true;
    return async ({ update, result }) => {
      await update({ reset: options.resetOnSuccess === true && result.type === 'success' });
      submitting = false;
    };
  };
  return {
    get clientErrors() {
      return clientErrors;
    },
    get submitting() {
      return submitting;
    },
    submit,
  };
}
