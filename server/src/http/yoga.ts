import type { IncomingMessage } from 'node:http';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { GraphQLContext } from '../graphql/context.js';
import { findAppError } from '../graphql/find-app-error.js';
import { refusalAuditPlugin } from '../graphql/refusal-audit.js';
import { secondFactorPlugin } from '../graphql/second-factor.plugin.js';
import { variablesLimitPlugin } from '../graphql/variables-limit.js';
import { createLogger, type Logger, type LogLevel } from '../lib/logger.js';
import { resolveSessionAccount } from '../modules/accounts/accounts.service.js';
import type { AppServices } from '../graphql/context.js';
import { clientAddress } from './client-address.js';
import { clientDevice } from './client-device.js';
import { actingFor, requestToken } from './request-viewer.js';
import { MAX_REQUEST_BYTES } from './router.js';
import { schema } from '../schema.js';

/** Limits that refuse abusive queries before they run. */
export const MAX_QUERY_DEPTH = 10;
export const MAX_QUERY_ALIASES = 20;

/** What the Node adapter passes in: the raw request, for the client address. */
type ServerContext = { req?: IncomingMessage };

/**
 * graphql ships CommonJS and ESM builds, and tools load either, so `instanceof GraphQLError`
 * is unreliable across packages; the name is not.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** Stands in for a level the logger would drop anyway. */
const ignore = () => {};

/**
 * Yoga's logger on ours: yoga logs every error it masks, and an expected error (a refusal, a
 * validation) is no fault of the server, so it is one info line with its code and no stack;
 * anything unexpected keeps its stack, at error. Yoga writes three debug lines for every
 * request: below the debug level they cost a call, not three strings built and dropped.
 */
function yogaLogger(log: Logger, level: LogLevel): YogaLogger {
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a)));
  return {
    debug: level === 'debug' ? (...args: unknown[]) => log.debug(text(args).join(' ')) : ignore,
    info: (...args: unknown[]) => log.info(text(args).join(' ')),
    warn: (...args: unknown[]) => log.warn(text(args).join(' ')),
    error: (...args: unknown[]) => {
      const expected = findAppError(args[0]);
      if (expected) {
        log.info('expected error', { code: expected.code, error: expected.name });
        return;
      }
      const error = args.find((a): a is Error => a instanceof Error);
      log.error(text(args).join(' '), error ? { stack: error.stack } : undefined);
    },
  };
}

/** Refuses `__schema` / `__type` queries (production: the schema is not advertised). */
const noIntrospection: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

/**
 * Builds the yoga instance (no port) over the process's services: tests call `yoga.fetch(...)`
 * in-process, and the HTTP server mounts the same instance.
 */
export function createGraphQLServer(
  db: Database,
  config: Config,
  services: AppServices,
  log: Logger = createLogger(config.logLevel, 'graphql'),
): YogaServerInstance<ServerContext, GraphQLContext> {
  const cookiesByRequest = new WeakMap<Request, string[]>();
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.nodeEnv === 'development',
    landingPage: false,
    // Yoga's own default (25 MB) would cap uploads below UPLOAD_MAX_MB; the router already
    // refuses anything but a multipart upload over MAX_REQUEST_BYTES.
    maxRequestBodySize: config.uploadMaxBytes + MAX_REQUEST_BYTES,
    logging: yogaLogger(log, config.logLevel),
    cors: { origin: [config.webOrigin], credentials: true },
    maskedErrors: {
      maskError: (error, message) => {
        const original = findAppError(error);
        if (original) {
          return new GraphQLError(original.message, { extensions: { code: original.code } });
        }
        // Parse, validation and variable-coercion errors describe the request, not the server.
        if (
          isGraphQLError(error) &&
          (!error.originalError || isGraphQLError(error.originalError))
        ) {
          return error;
        }
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
    plugins: [
      maxDepthPlugin({ n: MAX_QUERY_DEPTH, flattenFragments: true }),
      maxAliasesPlugin({ n: MAX_QUERY_ALIASES, allowList: [] }),
      // Login CSRF and form/multipart CSRF: a request a browser sends cross-site without a
      // preflight (form, multipart, text/plain, GET) must carry a header only a preflighted
      // request can have. A bearer token is such a header, so API clients need nothing more.
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'authorization'] }),
      ...(config.nodeEnv === 'production' ? [noIntrospection] : []),
      refusalAuditPlugin,
      secondFactorPlugin,
      variablesLimitPlugin(),
      {
        onResponse({ request, response }) {
          for (const cookie of cookiesByRequest.get(request) ?? [])
            response.headers.append('set-cookie', cookie);
        },
      },
    ],
    context: async ({ request, req }) => {
      const token = requestToken(request, config);
      const session = token ? await resolveSessionAccount(db, token) : null;
      const viewer = actingFor(request, session?.viewer ?? null);
      const forwardedProto =
        config.trustedProxies > 0 ? request.headers.get('x-forwarded-proto') : null;
      const secure =
        config.cookieSecure ??
        (forwardedProto === 'https' || new URL(request.url).protocol === 'https:');
      const setCookies: string[] = [];
      cookiesByRequest.set(request, setCookies);
      return {
        db,
        config,
        services,
        viewer,
        viewerAccount: session?.account ?? null,
        clientKey: clientAddress(request, req?.socket.remoteAddress, config),
        device: clientDevice(request, config),
        secure,
        setCookies,
        refusals: [],
      };
    },
  });
}
