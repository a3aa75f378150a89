import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import { checkedForm } from './checked-form.svelte';

type SubmitInput = Parameters<SubmitFunction>[0];
type AfterSubmit = Exclude<Awaited<ReturnType<SubmitFunction>>, void>;

/** Submits `fields` through the form's `use:enhance` function, as SvelteKit would. */
function send(submit: SubmitFunction, fields: Record<string, string>) {
  const formData = new FormData();
  for (const [k, v] of Object.entries(fields)) formData.set(k, v);
  const cancel = vi.fn();
  const after = submit({ formData, cancel } as unknown as SubmitInput) as AfterSubmit | undefined;
  return { cancel, after };
}

/** Hands the form an answer of `type`, as SvelteKit does once the action answered. */
async function answer(after: AfterSubmit, type: ActionResult['type']) {
  const update = vi.fn(async () => {});
  const result = { type } as ActionResult;
  await after({ update, result } as unknown as Parameters<AfterSubmit>[0]);
  return update;
}

const needsName = (formData: FormData) => (formData.get('name') ? {} : { name: 'Enter a name.' });

describe('checkedForm', () => {
  it('cancels a form that fails the check and keeps its errors', () => {
    const form = checkedForm({ check: needsName });
    const { cancel, after } = send(form.submit, { name: '' });
    expect(cancel).toHaveBeenCalledOnce();
    expect(after).toBeUndefined();
    expect(form.clientErrors).toEqual({ name: 'Enter a name.' });
    expect(form.submitting).toBe(false);
  });

  it('sends a form that passes, is submitting until the answer, and keeps the fields', async () => {
    const form = checkedForm({ check: needsName });
    send(form.submit, { name: '' });
    const { cancel, after } = send(form.submit, { name: 'Ada' });
    expect(cancel).not.toHaveBeenCalled();
    expect(form.clientErrors).toBeNull();
    expect(form.submitting).toBe(true);
    const update = await answer(after!, 'success');
    expect(update).toHaveBeenCalledWith({ reset: false });
    expect(form.submitting).toBe(false);
  });

  it('empties the fields after a success only when asked to', async () => {
    const form = checkedForm({ check: needsName, resetOnSuccess: true });
    const refused = await answer(send(form.submit, { name: 'Ada' }).after!, 'failure');
    expect(refused).toHaveBeenCalledWith({ reset: false });
    const done = await answer(send(form.submit, { name: 'Ada' }).after!, 'success');
    expect(done).toHaveBeenCalledWith({ reset: true });
  });
});
