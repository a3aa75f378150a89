import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { RemoteRequestFields } from '$lib/graphql/remote-access';
import type { Actions, PageServerLoad } from './$types';

const MyRequests = graphql(
  `
    query MyRemoteAccessRequests { networkRequestCommittee myRemoteAccessRequests {
    ...RemoteRequestFields } }
  `,
  [RemoteRequestFields],
);
const Request = graphql(
  `
    mutation RequestRemoteAccess($datasetUrl: String!, $purpose: ResearchPurposeInput!) {
    requestRemoteAccess(datasetUrl: $datasetUrl, purpose: $purpose) {
    ... on MutationRequestRemoteAccessSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);
const Refresh = graphql(
  `
    mutation RefreshRemoteAccess($id: ID!) { refreshRemoteAccess(id: $id) {
    ... on MutationRefreshRemoteAccessSuccess { data { id remoteStatus remoteError
    export { samples } } } ...Refusal } }
  `,
  [Refusal],
);

/** The purpose categories a request may name (DUO). */
const PRIMARY = ['HMB', 'DS', 'GRU', 'POA', 'METHODS'] as const;
type Primary = (typeof PRIMARY)[number];

export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const data = await loadOrFail(fetch, token, MyRequests, {});
  return { requests: data.myRemoteAccessRequests, committee: data.networkRequestCommittee };
};

/** What the holder's state means, for the notice after a refresh. */
function atHolder(d: { remoteStatus: string; remoteError: string | null; export: unknown }) {
  if (d.remoteError)
    return `The holding institution could not be reached or refused: ${d.remoteError}`;
  if (d.export) return 'The holding institution approved; the export is here to download.';
  if (d.remoteStatus === 'refused') return 'The holding institution refused the request.';
  if (d.remoteStatus === 'pending') return 'The request waits for the holding institution.';
  return 'Nothing changed at the holding institution.';
}

export const actions: Actions = {
  request: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const values = {
      datasetUrl: String(form.get('datasetUrl') ?? '').trim(),
      primary: String(form.get('primary') ?? 'HMB'),
      diseases: String(form.get('diseases') ?? '').trim(),
      commercial: form.get('commercial') === 'on',
    };
    const primary: Primary = PRIMARY.includes(values.primary as Primary)
      ? (values.primary as Primary)
      : 'HMB';
    const diseases = values.diseases.split(/[\s,]+/).filter(Boolean);
    return mutationAction(
      fetch,
      token,
      Request,
      {
        datasetUrl: values.datasetUrl,
        purpose: {
          primary,
          commercial: values.commercial,
          ...(diseases.length ? { diseases } : {}),
        },
      },
      {
        kept: { action: 'request', values },
        fieldName: (f) => (f.startsWith('purpose.diseases') ? 'diseases' : f),
        done: () => ({
          notice: 'Your request is recorded. It goes to this institution’s committee first.',
        }),
      },
    );
  },
  refresh: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const id = String((await request.formData()).get('id') ?? '');
    return mutationAction(
      fetch,
      token,
      Refresh,
      { id },
      { kept: { action: 'refresh', id }, done: (d) => ({ notice: atHolder(d) }) },
    );
  },
};
