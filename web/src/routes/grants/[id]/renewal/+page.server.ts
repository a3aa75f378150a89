import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadGrantOrFail } from '$lib/server/grant-query';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { Actions, PageServerLoad } from './$types';

const GrantRenewal = graphql(`
  query GrantRenewal($id: ID!) { grant(id: $id) { id status renewalDueAt renewalNeeded
  renewalOverdue study { title } renewals { id dueAt status } } }
`);

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { token } = signedIn(locals);
  const { grant } = await loadGrantOrFail(fetch, token, GrantRenewal, params.id);
  return { grant };
};

const SubmitRenewalReport = graphql(
  `
    mutation SubmitRenewalReport($input: RenewalReportInput!) { submitRenewalReport(input:
    $input) { ... on MutationSubmitRenewalReportSuccess { data { id status } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  /** Sends the annual progress report; publications one per line. */
  default: async ({ locals, fetch, params, request }) => {
    const form = await request.formData();
    const values = {
      workDone: String(form.get('workDone') ?? ''),
      publications: String(form.get('publications') ?? ''),
      incidents: String(form.get('incidents') ?? ''),
    };
    return mutationAction(
      fetch,
      signedIn(locals).token,
      SubmitRenewalReport,
      {
        input: {
          grantId: params.id,
          workDone: values.workDone,
          publications: values.publications
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean),
          incidents: values.incidents.trim() || null,
        },
      },
      {
        kept: { values },
        fieldName: (f) => (f.startsWith('publications') ? 'publications' : f),
        done: () => ({ notice: 'Report sent. The committee has been asked to renew the grant.' }),
      },
    );
  },
};
