import { fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { m } from '$lib/paraglide/messages';
import { recordDay } from '$lib/record-labels';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { FieldErrors } from '$lib/validate';
import type { Actions, PageServerLoad } from './$types';

const MyClinicians = graphql(`
  query MyClinicians { myParticipant { pseudonym } myClinicians { id clinicianName
  clinicianEmail careTeam { id name } institution canRead canAppend startsAt endsAt revokedAt active }
  careTeams { id name institution members { name } } }
`);

const Authorise = graphql(
  `
    mutation AuthoriseClinician($input: AuthoriseClinicianInput!) {
    authoriseClinician(input: $input) {
    ... on MutationAuthoriseClinicianSuccess { data { id endsAt } } ...Refusal } }
  `,
  [Refusal],
);

const AuthoriseTeam = graphql(
  `
    mutation AuthoriseCareTeam($input: AuthoriseCareTeamInput!) {
    authoriseCareTeam(input: $input) {
    ... on MutationAuthoriseCareTeamSuccess { data { id endsAt } } ...Refusal } }
  `,
  [Refusal],
);

const Revoke = graphql(
  `
    mutation RevokeClinician($id: ID!) { revokeClinician(authorisationId: $id) {
    ... on MutationRevokeClinicianSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, MyClinicians, {});
  return {
    linked: data.myParticipant !== null,
    authorisations: data.myClinicians,
    careTeams: data.careTeams,
  };
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What they may do and until when, and what is wrong with it (both forms ask it). */
function readRightsAndPeriod(form: FormData) {
  const values = {
    canRead: form.get('canRead') === 'on',
    canAppend: form.get('canAppend') === 'on',
    until: String(form.get('until') ?? ''),
  };
  const errors: FieldErrors = {};
  if (!values.canRead && !values.canAppend) errors.scope = m.clinicians_scope_required();
  const today = new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.until) || values.until < today)
    errors.until = m.clinicians_until_invalid();
  return { values, errors };
}

/** The clinician form's values and, in the participant's language, what is wrong with them. */
function readAuthorisation(form: FormData) {
  const { values: rights, errors } = readRightsAndPeriod(form);
  const values = { clinicianEmail: String(form.get('clinicianEmail') ?? '').trim(), ...rights };
  if (!EMAIL.test(values.clinicianEmail)) errors.clinicianEmail = m.clinicians_email_invalid();
  return { values, errors };
}

/** The care team form's values and what is wrong with them. */
function readTeamAuthorisation(form: FormData) {
  const { values: rights, errors } = readRightsAndPeriod(form);
  const values = { careTeamId: String(form.get('careTeamId') ?? ''), ...rights };
  if (!values.careTeamId) errors.careTeamId = m.clinicians_team_required();
  return { values, errors };
}

export const actions: Actions = {
  /** The participant authorises a clinician, by e-mail, to read and/or add until a day. */
  authorise: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { values, errors } = readAuthorisation(await request.formData());
    if (Object.keys(errors).length)
      return fail(400, { action: 'authorise' as const, values, errors });
    return mutationAction(
      fetch,
      token,
      Authorise,
      { input: values },
      {
        kept: { action: 'authorise' as const, values },
        fieldName: (f) => (f === 'canRead' || f === 'canAppend' ? 'scope' : f),
        // An address that is not a clinician's answers "not found": say so in their words.
        refusedMessage: (message) =>
          message === 'Clinician not found' ? m.clinicians_not_found() : message,
        done: () => ({ notice: m.clinicians_authorised({ day: recordDay(values.until) }) }),
      },
    );
  },
  /** The participant authorises a care team, picked from the list, to read and/or add until a day. */
  authoriseTeam: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const { values, errors } = readTeamAuthorisation(await request.formData());
    if (Object.keys(errors).length)
      return fail(400, { action: 'authoriseTeam' as const, values, errors });
    return mutationAction(
      fetch,
      token,
      AuthoriseTeam,
      { input: values },
      {
        kept: { action: 'authoriseTeam' as const, values },
        fieldName: (f) => (f === 'canRead' || f === 'canAppend' ? 'scope' : f),
        refusedMessage: (message) =>
          message === 'Care team not found' ? m.clinicians_team_not_found() : message,
        done: () => ({ notice: m.clinicians_team_authorised({ day: recordDay(values.until) }) }),
      },
    );
  },
  /** The participant ends a clinician's (or a care team's) access at once (asked twice on the page). */
  revoke: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const id = String(form.get('authorisationId') ?? '');
    const name = String(form.get('name') ?? '');
    return mutationAction(
      fetch,
      token,
      Revoke,
      { id },
      {
        kept: { action: 'revoke' as const, id },
        done: () => ({ notice: m.clinicians_revoked({ name }) }),
      },
    );
  },
};
