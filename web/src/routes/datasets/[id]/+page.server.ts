import { error, fail, redirect } from '@sveltejs/kit';
import { mayAct } from '$lib/access';
import { graphql, type EnumOf } from '$lib/graphql/graphql';
import { DataUseFields } from '$lib/graphql/fragments';
import { api } from '$lib/server/api';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import type { FieldErrors } from '$lib/validate';
import { IngestJob, KINDS, type IngestJobView } from './ingest-types';
import { NETWORK_ACCESS_CHOICES } from './network-access';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Dataset = graphql(
  `
    query Dataset($id: ID!) { dataset(id: $id) { id name description createdAt networkAccess
    steward { id displayName } dataUse { ...DataUseFields } ingests { id fileName kind finishedAt
    report } } }
  `,
  [DataUseFields],
);

export const load: PageServerLoad = async ({ locals, fetch, params, url }) => {
  const { viewer, token } = signedIn(locals);
  if (!UUID.test(params.id)) error(404, { message: 'There is no such dataset.' });
  const { dataset } = await loadOrFail(
    fetch,
    token,
    Dataset,
    { id: params.id },
    'There is no such dataset.',
  );
  // Admins ingest into any dataset, stewards into their own (the API checks the same).
  const canIngest =
    mayAct('/datasets/[id]', viewer.role, 'upload') &&
    (viewer.role === 'admin' || dataset.steward?.id === viewer.id);
  const jobParam = url.searchParams.get('job');
  const jobId = canIngest && jobParam && UUID.test(jobParam) ? jobParam : null;
  let job: IngestJobView | null = null;
  if (jobId) {
    // The progress panel is a part that may fail alone: it polls again from the browser.
    job = await api(fetch, token, IngestJob, { id: jobId })
      .then((d) => d.ingestJob)
      .catch(() => null);
  }
  return { dataset, canIngest, job, jobId, registered: url.searchParams.has('registered') };
};

const StartIngest = graphql(
  `
    mutation StartIngest($input: StartIngestInput!) { startIngest(input: $input) {
    ... on MutationStartIngestSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

const SetNetworkAccess = graphql(
  `
    mutation SetNetworkAccess($d: ID!, $n: DatasetNetworkAccess!) {
    setDatasetNetworkAccess(datasetId: $d, networkAccess: $n) {
    ... on MutationSetDatasetNetworkAccessSuccess { data { id networkAccess } } ...Refusal } }
  `,
  [Refusal],
);

export const actions: Actions = {
  networkAccess: async ({ locals, fetch, params, request }) => {
    const { token } = signedIn(locals);
    const chosen = String((await request.formData()).get('networkAccess') ?? '');
    const choice = NETWORK_ACCESS_CHOICES.find((c) => c.value === chosen);
    if (!choice)
      return fail(400, {
        form: 'networkAccess' as const,
        errors: { networkAccess: 'Choose one of the settings.' } as FieldErrors,
        message: null,
      });
    const value: EnumOf<'DatasetNetworkAccess'> = choice.value;
    return mutationAction(
      fetch,
      token,
      SetNetworkAccess,
      { d: params.id, n: value },
      { kept: { form: 'networkAccess' as const }, done: (data) => ({ saved: data.networkAccess }) },
    );
  },
  upload: async ({ locals, fetch, params, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const kind = String(form.get('kind') ?? '');
    const file = form.get('file');
    const sampleMap = form.get('sampleMap');
    const hasMap = sampleMap instanceof File && sampleMap.size > 0;
    const errors: FieldErrors = {};
    const known = KINDS.find((k) => k.code === kind);
    if (!known) errors.kind = 'Choose what kind of file this is.';
    if (!(file instanceof File) || file.size === 0) errors.file = 'Choose a file to upload.';
    if (hasMap && kind !== 'VCF') errors.sampleMap = 'A sample map goes with a VCF file only.';
    if (!known || !(file instanceof File) || Object.keys(errors).length)
      return fail(400, { kind, errors, message: null });
    const kindCode: EnumOf<'IngestKind'> = known.code;
    const result = await mutationAction(
      fetch,
      token,
      StartIngest,
      {
        input: {
          datasetId: params.id,
          kind: kindCode,
          file,
          sampleMap: hasMap ? sampleMap : null,
        },
      },
      {
        kept: { kind },
        // The API names nested fields (`input.file`); the form names the last part.
        fieldName: (f) => f.split('.').pop() ?? 'file',
        done: (data) => ({ jobId: data.id }),
      },
    );
    if ('jobId' in result) redirect(303, `/datasets/${params.id}?job=${result.jobId}`);
    return result;
  },
};
