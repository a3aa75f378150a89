import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createRouter } from '../http/router.js';
import { standardRoutes } from '../http/standard-routes.js';
import { createGraphQLServer } from '../http/yoga.js';
import type { Logger } from '../lib/logger.js';
import { beaconRoute } from '../modules/beacon/beacon-route.js';
import { anchorRoute } from '../modules/chain/anchor.route.js';
import type { ChainConnection } from '../modules/chain/chain-connection.js';
import { networkAccessRoute } from '../modules/federation/network-access.route.js';
import { networkCallerCheck } from '../modules/federation/network-caller-check.js';
import { jwksUrl } from '../modules/grants/passport/jwks-url.js';
import { passportVisaChecker } from '../modules/grants/passport-visa-checker.js';
import type { AppServices } from './app-services.js';

/**
 * Every door of the API on one Node request handler: GraphQL, the standard routes (JWKS, FHIR,
 * passport broker, exports, study files), the chain's anchors and the Beacon, which recognises
 * other network members' researchers through the chain registry. Built from the process's one
 * set of services, so every door counts through the same counter.
 */
export function createApiHandler(
  db: Database,
  config: Config,
  services: AppServices,
  chain: ChainConnection,
  log?: Logger,
): ReturnType<typeof createRouter> {
  const yoga = createGraphQLServer(db, config, services, log);
  const routes = [
    ...standardRoutes(db, config, services),
    anchorRoute(() => ({
      kind: chain.kind,
      contractAddress: chain.contractAddress,
      writer: chain.ledger.sender,
      anchor: (batch) => chain.ledger.anchor(chain.ledger.sender, batch),
    })),
    beaconRoute({
      db,
      counter: services.counter,
      publicLimits: config.beaconPublic,
      addressSettings: config,
      ...(log ? { log } : {}),
      visas: passportVisaChecker(db, config.publicUrl),
      memberBudgetPerDay: config.federation.memberBudgetPerDay,
      ...(services.registry
        ? {
            network: networkCallerCheck(services.registry, jwksUrl(config.publicUrl), {
              db,
              issuer: config.publicUrl,
            }),
          }
        : {}),
    }),
    ...(services.registry
      ? [
          networkAccessRoute({
            db,
            registry: services.registry,
            counter: services.counter,
            issuer: config.publicUrl,
          }),
        ]
      : []),
  ];
  return createRouter(routes, (request, context) => yoga.handle(request, context), config);
}
