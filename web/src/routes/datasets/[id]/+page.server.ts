import { error, fail, redirect } from '@sveltejs/kit';
import { ApiRequestError, apiText } from '$lib/server/api';
import { apiUpload } from '$lib/server/api-upload';
import { messageOf, requireRole } from '$lib/server/guard';
import type { FieldErrors } from '$lib/validate';
import { JOB_FIELDS, KINDS, type IngestJobView } from './ingest-types';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DatasetDetail {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  steward: { id: string; displayName: string } | null;
  dataUse: {
    permission: string;
    diseases: string[];
    terms: { code: string; id: string; label: string; plain: string }[];
  };
  ingests: {
    id: string;
    fileName: string;
    kind: string;
    finishedAt: string;
    report: Record<string, unknown>;
  }[];
}

export const load: PageServerLoad = async ({ locals, fetch, params, url }) => {
  const { viewer, token } = requireRole(
    locals,
    ['researcher', 'ethics_board', 'steward', 'admin'],
    'datasets',
  );
  if (!UUID.test(params.id)) error(404, { message: 'There is no such dataset.' });
  let dataset: DatasetDetail;
  try {
    ({ dataset } = await apiText<{ dataset: DatasetDetail }>(
      fetch,
      `query($id: ID!) { dataset(id: $id) {
        id name description createdAt steward { id displayName }
        dataUse { permission diseases terms { code id label plain } }
        ingests { id fileName kind finishedAt report }
      } }`,
      { id: params.id },
      token,
    ));
  } catch (e) {
    if (e instanceof ApiRequestError && e.code === 'NOT_FOUND')
      error(404, { message: 'There is no such dataset.' });
    return {
      dataset: null,
      canIngest: false,
      job: null,
      jobId: null,
      registered: false,
      loadError: messageOf(e),
    };
  }
  const canIngest =
    viewer.role === 'admin' || (viewer.role === 'steward' && dataset.steward?.id === viewer.id);
  const jobParam = url.searchParams.get('job');
  const jobId = canIngest && jobParam && UUID.test(jobParam) ? jobParam : null;
  let job: IngestJobView | null = null;
  if (jobId) {
    job = await apiText<{ ingestJob: IngestJobView | null }>(
      fetch,
      `query($id: ID!) { ingestJob(id: $id) { ${JOB_FIELDS} } }`,
      { id: jobId },
      token,
    )
      .then((d) => d.ingestJob)
      .catch(() => null);
  }
  return {
    dataset,
    canIngest,
    job,
    jobId,
    registered: url.searchParams.has('registered'),
    loadError: null,
  };
};

type StartResult =
  | { __typename: 'MutationStartIngestSuccess'; data: { id: string } }
  | { __typename: string; message: string; fieldErrors?: { field: string; message: string }[] };

export const actions: Actions = {
  upload: async ({ locals, fetch, params, request }) => {
    const { token } = requireRole(locals, ['steward', 'admin'], 'uploads');
    const form = await request.formData();
    const kind = String(form.get('kind') ?? '');
    const file = form.get('file');
    const sampleMap = form.get('sampleMap');
    const hasMap = sampleMap instanceof File && sampleMap.size > 0;
    const errors: FieldErrors = {};
    if (!KINDS.some((k) => k.code === kind)) errors.kind = 'Choose what kind of file this is.';
    if (!(file instanceof File) || file.size === 0) errors.file = 'Choose a file to upload.';
    if (hasMap && kind !== 'VCF') errors.sampleMap = 'A sample map goes with a VCF file only.';
    if (Object.keys(errors).length) return fail(400, { kind, errors, message: null });
    let jobId: string;
    try {
      const files: Record<string, File> = { 'variables.input.file': file as File };
      if (hasMap) files['variables.input.sampleMap'] = sampleMap;
      const { startIngest } = await apiUpload<{ startIngest: StartResult }>(
        fetch,
        `mutation($input: StartIngestInput!) { startIngest(input: $input) {
          __typename
          ... on MutationStartIngestSuccess { data { id } }
          ... on Error { message }
          ... on ValidationError { fieldErrors { field message } }
        } }`,
        { input: { datasetId: params.id, kind, file: null, sampleMap: null } },
        files,
        token,
      );
      if (!('data' in startIngest)) {
        const fieldErrors: FieldErrors = {};
        for (const f of startIngest.fieldErrors ?? [])
          fieldErrors[f.field.split('.').pop() ?? 'file'] ??= f.message;
        return fail(startIngest.__typename === 'ForbiddenError' ? 403 : 400, {
          kind,
          errors: fieldErrors,
          message: startIngest.message,
        });
      }
      jobId = startIngest.data.id;
    } catch (e) {
      return fail(502, { kind, errors: {}, message: messageOf(e) });
    }
    redirect(303, `/datasets/${params.id}?job=${jobId}`);
  },
};
