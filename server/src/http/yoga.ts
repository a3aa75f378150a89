import type { IncomingMessage } from 'node:http';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-errors.js';
import type { GraphQLContext } from '../graphql/context.js';
import { variablesLimitPlugin } from '../graphql/variables-limit.js';
import { resolveSession } from '../modules/accounts/accounts.service.js';
import type { AppServices } from '../app/app-services.js';
import { readSessionCookie } from '../modules/accounts/session-cookie.js';
import { bearerToken } from './request-viewer.js';
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

/** The expected error behind a (possibly wrapped) GraphQL error, if there is one. */
function findAppError(error: unknown): AppError | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    if (e instanceof AppError) return e;
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  return null;
}

/**
 * Builds the yoga instance (no port) over the process's services: tests call `yoga.fetch(...)`
 * in-process, and the HTTP server mounts the same instance.
 */
export function createGraphQLServer(
  db: Database,
  config: Config,
  services: AppServices,
): YogaServerInstance<ServerContext, GraphQLContext> {
  const cookiesByRequest = new WeakMap<Request, string[]>();
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.nodeEnv === 'development',
    landingPage: false,
    logging: config.logLevel === 'silent' ? false : config.logLevel,
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
      variablesLimitPlugin(),
      {
        onResponse({ request, response }) {
          for (const cookie of cookiesByRequest.get(request) ?? [])
            response.headers.append('set-cookie', cookie);
        },
      },
    ],
    context: async ({ request, req }) => {
      const token = bearerToken(request) ?? readSessionCookie(request.headers.get('cookie'));
      const viewer = token ? await resolveSession(db, token) : null;
      const forwardedFor = config.trustProxy
        ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
        : undefined;
      const forwardedProto = config.trustProxy ? request.headers.get('x-forwarded-proto') : null;
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
        clientKey: forwardedFor ?? req?.socket.remoteAddress ?? 'unknown',
        secure,
        setCookies,
      };
    },
  });
}
