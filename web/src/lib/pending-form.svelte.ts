import type { SubmitFunction } from '@sveltejs/kit';

/** A form's "sending" flag and the `use:enhance` submit function that keeps it. */
export interface PendingForm {
  /** True from the moment the form is sent until the page has its answer. */
  readonly pending: boolean;
  /** Pass to `use:enhance`. */
  readonly submit: SubmitFunction;
}

/**
 * Tracks whether a form is being sent, so its button can be disabled and say so meanwhile.
 * `reset: false` keeps what was typed after a successful answer (SvelteKit clears it by default).
 */
export function pendingForm(options: { reset?: boolean } = {}): PendingForm {
  let pending = $state(false);
  const submit: SubmitFunction = () => {
    pending = true;
    return async ({ update }) => {
      await update({ reset: options.reset ?? true });
      pending = false;
    };
  };
  return {
    get pending() {
      return pending;
    },
    submit,
  };
}

/** Which of a page's forms is being sent, by a key the page gives each form. */
export interface SendingForms {
  /** The key of the form being sent, or null while none is. */
  readonly sending: string | null;
  /** Pass `submit(key)` to the form's `use:enhance`. */
  submit: (key: string) => SubmitFunction;
}

/**
 * Tracks which of several forms on a page is being sent, so only its button says so. A form
 * answered with success is emptied, then `afterSuccess` runs (e.g. to move the focus to what
 * the action produced); a refused one keeps what was typed.
 */
export function sendingForms(
  options: { afterSuccess?: (key: string) => void | Promise<void> } = {},
): SendingForms {
  let sending = $state<string | null>(null);
  const submit =
    (key: string): SubmitFunction =>
    () => {
      sending = key;
      return async ({ update, result }) => {
        await update({ reset: result.type === 'success' });
        sending = null;
        if (result.type === 'success') await options.afterSuccess?.(key);
      };
    };
  return {
    get sending() {
      return sending;
    },
    submit,
  };
}
