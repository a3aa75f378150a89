import { informationalMeta } from './beacon-responses.js';
import {
  BEACON_API_VERSION,
  ENTRY_TYPES,
  FRAMEWORK_BASE,
  type BeaconEntryType,
} from './beacon-vocabulary.js';

/** Who this beacon is; `baseUrl` is the absolute URL of `/api/beacon`, without a slash. */
export interface BeaconIdentity {
  beaconId: string;
  baseUrl: string;
  environment: 'prod' | 'test' | 'dev' | 'staging';
}

type Json = Record<string, unknown>;

const NAME = 'Consentome Beacon';
const DESCRIPTION =
  'Discovery over consenting participants of Consentome datasets: booleans for everyone, ' +
  'protected counts (small-cell suppression, noise, differencing defence) for registered ' +
  'researchers, per-dataset counts for GA4GH Passport visa holders.';
const ORGANIZATION = { id: 'consentome', name: 'Consentome' };

function entryTypeDefinitions(): Json {
  const out: Json = {};
  for (const [id, t] of Object.entries(ENTRY_TYPES) as [
    BeaconEntryType,
    (typeof ENTRY_TYPES)[BeaconEntryType],
  ][]) {
    out[id] = {
      id,
      name: t.name,
      description: t.description,
      ontologyTermForThisType: t.ontologyTerm,
      partOfSpecification: `Beacon ${BEACON_API_VERSION}`,
      defaultSchema: {
        id: t.schemaId,
        name: `Default schema for ${t.name.toLowerCase()}`,
        referenceToSchemaDefinition: t.schemaUrl,
        schemaVersion: BEACON_API_VERSION,
      },
      additionallySupportedSchemas: [],
      nonFilteredQueriesAllowed: t.nonFilteredQueriesAllowed,
    };
  }
  return out;
}

/** `/` and `/info`: a `beaconInfoResponse`. */
export function infoResponse(id: BeaconIdentity): Json {
  return {
    meta: informationalMeta(id.beaconId),
    response: {
      id: id.beaconId,
      name: NAME,
      apiVersion: BEACON_API_VERSION,
      environment: id.environment,
      organization: { ...ORGANIZATION, welcomeUrl: new URL(id.baseUrl).origin },
      description: DESCRIPTION,
      version: BEACON_API_VERSION,
      welcomeUrl: id.baseUrl,
    },
  };
}

/** `/service-info`: a GA4GH service-info 1.0 document (no Beacon envelope). */
export function serviceInfo(id: BeaconIdentity): Json {
  return {
    id: id.beaconId,
    name: NAME,
    type: { group: 'org.ga4gh', artifact: 'beacon', version: BEACON_API_VERSION },
    description: DESCRIPTION,
    organization: { name: ORGANIZATION.name, url: new URL(id.baseUrl).origin },
    environment: id.environment,
    version: BEACON_API_VERSION,
    documentationUrl: `${id.baseUrl}/info`,
  };
}

/** `/map`: a `beaconMapResponse` with one endpoint set per entry type. */
export function mapResponse(id: BeaconIdentity): Json {
  const endpointSets: Json = {};
  for (const [entryType, t] of Object.entries(ENTRY_TYPES)) {
    endpointSets[entryType] = {
      entryType,
      rootUrl: `${id.baseUrl}/${t.path}`,
      filteringTermsUrl: `${id.baseUrl}/filtering_terms`,
    };
  }
  return {
    meta: informationalMeta(id.beaconId),
    response: { $schema: `${FRAMEWORK_BASE}/configuration/beaconMapSchema.json`, endpointSets },
  };
}

/** `/configuration`: a `beaconConfigurationResponse`. */
export function configurationResponse(id: BeaconIdentity): Json {
  const productionStatus =
    id.environment === 'prod' ? 'PROD' : id.environment === 'dev' ? 'DEV' : 'TEST';
  return {
    meta: informationalMeta(id.beaconId),
    response: {
      $schema: `${FRAMEWORK_BASE}/configuration/beaconConfigurationSchema.json`,
      maturityAttributes: { productionStatus },
      securityAttributes: {
        // The spec's default: counts must be asked for (requestedGranularity=count).
        defaultGranularity: 'boolean',
        securityLevels: ['PUBLIC', 'REGISTERED', 'CONTROLLED'],
      },
      entryTypes: entryTypeDefinitions(),
    },
  };
}

/** `/entry_types`: a `beaconEntryTypesResponse`. */
export function entryTypesResponse(id: BeaconIdentity): Json {
  return { meta: informationalMeta(id.beaconId), response: { entryTypes: entryTypeDefinitions() } };
}
