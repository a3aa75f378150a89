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
