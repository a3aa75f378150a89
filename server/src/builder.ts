import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { GraphQLContext } from './graphql/context.js';
import { ForbiddenError, UnauthenticatedError } from './errors/app-errors.js';
import type { Role } from './modules/actors/roles.js';

/**
 * The Pothos builder. It holds no types: each domain module adds its own, and schema.ts
 * imports them all. Query and Mutation require a signed-in user by default (see schema-roots.ts);
 * a public field must opt out explicitly, so forgetting a scope denies rather than allows.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { authenticated: boolean; roles: Role[] };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    File: { Input: File; Output: never };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  plugins: [ScopeAuthPlugin, ErrorsPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: ctx.viewer !== null,
      roles: (roles) => ctx.viewer !== null && roles.includes(ctx.viewer.role),
    }),
    unauthorizedError: (_parent, context, info) => {
      if (context.viewer === null) return new UnauthenticatedError();
      // Remembered so the refusal is audited after execution (graphql/refusal-audit.ts).
      const path: (string | number)[] = [];
      for (let p: typeof info.path | undefined = info.path; p; p = p.prev) path.unshift(p.key);
      context.refusals.push({ path: path.join('.'), code: 'FORBIDDEN' });
      return new ForbiddenError();
    },
  },
  errors: { defaultTypes: [] },
});
