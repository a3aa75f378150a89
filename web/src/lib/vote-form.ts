import type { FieldErrors } from './validate';

/** What a board member entered on the vote form, to refill it. */
export interface VoteFormValues {
  vote: string;
  rationale: string;
  conditions: string[];
  overrideReason: string;
}

/** Reads the vote form (empty condition rows are dropped). */
export function readVoteForm(form: FormData): VoteFormValues {
  return {
    vote: String(form.get('vote') ?? ''),
    rationale: String(form.get('rationale') ?? ''),
    conditions: form
      .getAll('conditions')
      .map((c) => String(c).trim())
      .filter(Boolean),
    overrideReason: String(form.get('overrideReason') ?? ''),
  };
}

/**
 * The API's rules, checked before sending: a choice; a rationale (at least 10 characters to
 * reject); an override reason to approve when the DUO match denied a dataset; short conditions.
 */
export function validateVote(values: VoteFormValues, hasDeniedDataset: boolean): FieldErrors {
  const errors: FieldErrors = {};
  const rationale = values.rationale.trim();
  if (values.vote !== 'APPROVE' && values.vote !== 'REJECT')
    errors.vote = 'Choose approve or reject.';
  if (!rationale) errors.rationale = 'Give your rationale: the researcher and the record see it.';
  else if (values.vote === 'REJECT' && rationale.length < 10)
    errors.rationale = 'A rejection needs a reason of at least 10 characters.';
  if (values.vote === 'APPROVE' && hasDeniedDataset && !values.overrideReason.trim())
    errors.overrideReason =
      'A dataset’s data use does not allow this purpose: explain why you approve anyway.';
  if (values.conditions.length > 20) errors.conditions = 'At most 20 conditions.';
  else if (values.conditions.some((c) => c.length > 500))
    errors.conditions = 'Keep each condition under 500 characters.';
  return errors;
}

/** The vote form's field for an API field error (`conditions.2` → `conditions`). */
export function voteFormField(apiField: string): string {
  return apiField.split('.')[0]!;
}
