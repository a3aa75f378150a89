import { fail } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { graphql } from '$lib/graphql/graphql';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutate, mutationAction } from '$lib/server/mutate';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

const MyGenotypeUploads = graphql(`
  query MyGenotypeUploads { myGenotypeUploads {
    id fileName format build liftedOver createdAt retractedAt
    report { read calls noCalls unmapped unknownSites unmatchedAlleles } } }
`);

const UploadMyGenotypes = graphql(
  `
    mutation UploadMyGenotypes($file: File!) { uploadMyGenotypes(file: $file) {
      ... on MutationUploadMyGenotypesSuccess { data {
        id fileName format build liftedOver createdAt
        report { read calls noCalls unmapped unknownSites unmatchedAlleles } } }
      ...Refusal } }
  `,
  [Refusal],
);

const RetractUpload = graphql(
  `
    mutation RetractMyGenotypeUpload($id: ID!) { retractMyGenotypeUpload(uploadId: $id) {
      ... on MutationRetractMyGenotypeUploadSuccess { data { id retractedAt } } ...Refusal } }
  `,
  [Refusal],
);

/** The participant's uploads; the list is their own data, so the API audits the read. */
export const load: PageServerLoad = async ({ locals, fetch }) => {
  const { token } = signedIn(locals);
  const { myGenotypeUploads } = await loadOrFail(fetch, token, MyGenotypeUploads, {});
  // The API's limit (GENOTYPE_UPLOAD_MAX_MB, default 64): it enforces it, the page states it.
  const mb = Number(env.GENOTYPE_UPLOAD_MAX_MB ?? 64);
  return { uploads: myGenotypeUploads, maxMb: Number.isFinite(mb) && mb > 0 ? mb : 64 };
};

export const actions: Actions = {
  /** Retracts one upload, whole (asked twice on the page): its variants stop counting at once. */
  retract: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const form = await request.formData();
    const id = String(form.get('uploadId') ?? '');
    const name = String(form.get('name') ?? '');
    return mutationAction(
      fetch,
      token,
      RetractUpload,
      { id },
      {
        kept: { action: 'retract' as const, id },
        done: () => ({ notice: m.genotype_retracted({ name }) }),
      },
    );
  },
  /** Sends the file to the API, which checks all of it before it saves anything. */
  upload: async ({ locals, fetch, request }) => {
    const { token } = signedIn(locals);
    const file = (await request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0)
      return fail(400, { message: m.genotype_choose_file(), lines: [] as string[] });
    let outcome;
    try {
      outcome = await mutate(fetch, token, UploadMyGenotypes, { file });
    } catch {
      return fail(502, { message: m.genotype_unreachable(), lines: [] as string[] });
    }
    if (!outcome.ok) {
      // Line problems come as "line N: …" messages on the field `file`.
      const lines = outcome.message.match(/line\(s\) could not be read/)
        ? outcome.message
            .replace(/^.*could not be read: /, '')
            .split('; ')
            .filter(Boolean)
        : [];
      return fail(400, { message: outcome.message, lines });
    }
    return { uploaded: outcome.data };
  },
};
