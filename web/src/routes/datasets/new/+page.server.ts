import { fail, redirect } from '@sveltejs/kit';
import { apiText } from '$lib/server/api';
import { messageOf, requireRole } from '$lib/server/guard';
import {
  PERMISSIONS,
  formField,
  readDatasetForm,
  validateDataset,
  type DuoTermInfo,
} from '$lib/dataset-form';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['steward', 'admin'] as const;

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = requireRole(locals, ROLES, 'dataset registration');
  try {
    const { duoTerms } = await apiText<{ duoTerms: DuoTermInfo[] }>(
      fetch,
      `{ duoTerms { code id label plain } }`,
      {},
      token,
    );
    const permissions = PERMISSIONS.map((code) => duoTerms.find((t) => t.code === code)).filter(
      (t): t is DuoTermInfo => !!t,
    );
    const modifiers = duoTerms.filter((t) => !(PERMISSIONS as readonly string[]).includes(t.code));
    return { permissions, modifiers, loadError: null };
  } catch (e) {
    return {
      permissions: [] as DuoTermInfo[],
      modifiers: [] as DuoTermInfo[],
      loadError: messageOf(e),
    };
  }
};

type RegisterResult =
  | { __typename: 'MutationRegisterDatasetSuccess'; data: { id: string } }
  | {
      __typename: string;
      message: string;
      fieldErrors?: { field: string; message: string }[];
    };

export const actions: Actions = {
  default: async ({ locals, fetch, request }) => {
    const { token } = requireRole(locals, ROLES, 'dataset registration');
    const values = readDatasetForm(await request.formData());
    const { errors, input } = validateDataset(values);
    if (Object.keys(errors).length)
      return fail(400, { values, errors, message: 'Please correct the fields marked below.' });
    let id: string;
    try {
      const { registerDataset } = await apiText<{ registerDataset: RegisterResult }>(
        fetch,
        `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) {
          __typename
          ... on MutationRegisterDatasetSuccess { data { id } }
          ... on Error { message }
          ... on ValidationError { fieldErrors { field message } }
        } }`,
        { input },
        token,
      );
      if (!('data' in registerDataset)) {
        const fieldErrors: Record<string, string> = {};
        for (const f of registerDataset.fieldErrors ?? [])
          fieldErrors[formField(f.field)] ??=
            `${f.message[0]?.toUpperCase() ?? ''}${f.message.slice(1)}.`;
        const status = registerDataset.__typename === 'ConflictError' ? 409 : 400;
        return fail(status, { values, errors: fieldErrors, message: registerDataset.message });
      }
      id = registerDataset.data.id;
    } catch (e) {
      return fail(502, { values, errors: {}, message: messageOf(e) });
    }
    redirect(303, `/datasets/${id}?registered=1`);
  },
};
