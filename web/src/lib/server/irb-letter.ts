import { apiUpload } from './api-upload';

/**
 * Uploads a study's IRB approval letter (the API keeps only its SHA-256). Answers null when it
 * was attached, else the API's reason. Network failures throw, as every API call does.
 */
export async function attachIrbLetter(
  fetchFn: typeof fetch,
  token: string,
  studyId: string,
  file: File,
): Promise<string | null> {
  const { attachIrbEvidence: r } = await apiUpload<{
    attachIrbEvidence: { __typename: string; message?: string };
  }>(
    fetchFn,
    `mutation($studyId: ID!, $file: File!) { attachIrbEvidence(studyId: $studyId, file: $file) {
      __typename ... on Error { message } } }`,
    { studyId, file: null },
    { 'variables.file': file },
    token,
  );
  return r.__typename === 'MutationAttachIrbEvidenceSuccess'
    ? null
    : (r.message ?? 'The letter was refused.');
}
