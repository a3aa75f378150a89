import { graphql } from '$lib/graphql/graphql';
import { Refusal, mutate } from './mutate';

const AttachIrbEvidence = graphql(
  `
    mutation AttachIrbEvidence($studyId: ID!, $file: File!) { attachIrbEvidence(studyId:
    $studyId, file: $file) { ... on MutationAttachIrbEvidenceSuccess { data { id } } ...Refusal
    } }
  `,
  [Refusal],
);

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
  const r = await mutate(fetchFn, token, AttachIrbEvidence, { studyId, file });
  return r.ok ? null : r.message;
}
