import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { fhirRoute } from '../modules/fhir/fhir.route.js';
import { recordDownloadRoute } from '../modules/fhir/record-download.route.js';
import { exportRoute } from '../modules/grants/exports/export.route.js';
import { jwksRoute } from '../modules/grants/passport/jwks.route.js';
import { passportBrokerRoute } from '../modules/grants/passport/passport-broker.route.js';
import { studyFilesRoute } from '../modules/studies/study-files.route.js';
import type { AppServices } from '../graphql/context.js';
import type { Route } from './router.js';

/**
 * The standard (non-GraphQL) endpoints: each domain adds its route here. Handlers take a Fetch
 * API Request and return a Response, so tests call them without a port.
 */
export function standardRoutes(
  db: Database,
  config: Pick<Config, 'publicUrl'>,
  services: Pick<AppServices, 'files' | 'linkedDecisions'>,
): Route[] {
  return [
    jwksRoute(db),
    fhirRoute(db),
    passportBrokerRoute(db, config.publicUrl),
    exportRoute(db, services.files, async () => services.linkedDecisions?.applyLatest()),
    studyFilesRoute(db),
    recordDownloadRoute(db),
  ];
}
