import { FhirRequestError } from './fhir-http.js';

/** A Consent is a few kilobytes; anything far larger is a mistake or an attack. */
export const MAX_FHIR_BODY_BYTES = 64 * 1024;

/** The media types a FHIR JSON body may arrive as (R4 §3.1.0.1.2 also allows plain JSON). */
const JSON_TYPES = new Set(['application/fhir+json', 'application/json']);

function tooLarge(): FhirRequestError {
  return new FhirRequestError(413, 'too-costly', `Body over ${MAX_FHIR_BODY_BYTES} bytes`);
}

/** Reads the body, stopping as soon as it passes the limit rather than buffering all of it. */
async function readLimited(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_FHIR_BODY_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FHIR_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The JSON document a FHIR write carries. Refuses, as OperationOutcomes: another media type
 * (415; FHIR XML is not served), a body over the limit (413), bytes that are not UTF-8 or text
 * that is not JSON (400, issue `structure`).
 */
export async function readFhirJson(request: Request): Promise<unknown> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.has(mediaType))
    throw new FhirRequestError(
      415,
      'not-supported',
      'Send the resource as application/fhir+json (or application/json)',
    );
  const bytes = await readLimited(request);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FhirRequestError(400, 'structure', 'The body is not UTF-8 text');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FhirRequestError(
      400,
      'structure',
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
