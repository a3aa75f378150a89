import { error, fail } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { REQUEST_SECTIONS, formField, sectionData } from '$lib/access-request-form';
import { signedIn } from '$lib/server/guard';
import { loadOrFail } from '$lib/server/load';
import { Refusal, mutationAction } from '$lib/server/mutate';
import { STUDY_ID } from '$lib/server/study-query';
import type { Actions, PageServerLoad } from './$types';

const RequestQuery = graphql(`
  query AccessRequest($id: ID!) { study(id: $id) { id title status application {
  completeSections totalSections sections { section title complete problems data }
  collaborators { name email institution hasAccount confirmedAt } } documents { id kind name
  sizeBytes sha256 } } }
`);

const UploadDocument = graphql(
  `
    mutation UploadStudyDocument($id: ID!, $kind: StudyDocumentKind!, $file: File!) {
    uploadStudyDocument(studyId: $id, kind: $kind, file: $file) {
    ... on MutationUploadStudyDocumentSuccess { data { id sha256 } } ...Refusal } }
  `,
  [Refusal],
);

const SaveSection = graphql(
  `
    mutation SaveAccessRequestSection($id: ID!, $section: AccessRequestSection!, $data: JSON!) {
    saveAccessRequestSection(studyId: $id, section: $section, data: $data) {
    ... on MutationSaveAccessRequestSectionSuccess { data { id } } ...Refusal } }
  `,
  [Refusal],
);

export const load: PageServerLoad = async ({ locals, fetch, params }) => {
  const { token } = signedIn(locals);
  if (!STUDY_ID.test(params.id)) error(404, { message: 'There is no such study.' });
  const { study } = await loadOrFail(
    fetch,
    token,
    RequestQuery,
    { id: params.id },
    'There is no such study, or it is not yours to see.',
  );
  if (!study.application) error(404, { message: 'There is no such study, or it is not yours.' });
  return { study, application: study.application, documents: study.documents ?? [] };
};

export const actions: Actions = {
  /** Adds a PDF to the request; the API checks its type and size and encrypts it. */
  upload: async ({ locals, fetch, params, request }) => {
    const form = await request.formData();
    const file = form.get('document');
    const kind = form.get('kind') === 'EVIDENCE' ? 'EVIDENCE' : 'IRB_LETTER';
    if (!(file instanceof File) || file.size === 0)
      return fail(400, {
        section: 'DOCUMENTS',
        message: 'Choose a PDF to upload.',
        errors: { document: 'Choose a PDF to upload.' },
        values: {},
      });
    return mutationAction(
      fetch,
      signedIn(locals).token,
      UploadDocument,
      { id: params.id, kind, file },
      {
        kept: { section: 'DOCUMENTS', values: {} },
        done: (d) => ({ uploaded: d.sha256 }),
        fieldName: (f) => (f === 'file' ? 'document' : f),
      },
    );
  },
  /** Saves one section; a refusal keeps what was typed and puts each error beside its field. */
  save: async ({ locals, fetch, params, request }) => {
    const form = await request.formData();
    const section = REQUEST_SECTIONS.find((s) => s.key === form.get('section'));
    if (!section)
      return fail(400, { section: null, message: 'Unknown section.', errors: {}, values: {} });
    const values = Object.fromEntries(
      section.fields.map((f) => [
        `${section.name}.${f.name}`,
        String(form.get(`${section.name}.${f.name}`) ?? ''),
      ]),
    );
    return mutationAction(
      fetch,
      signedIn(locals).token,
      SaveSection,
      // The section's value as the API's enum names it.
      { id: params.id, section: section.key as never, data: sectionData(section, form) },
      {
        kept: { section: section.key, values },
        done: () => ({ saved: section.key }),
        fieldName: formField,
      },
    );
  },
};
