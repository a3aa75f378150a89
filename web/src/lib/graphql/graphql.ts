import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '../../graphql-env.d.ts';

/**
 * Writes a GraphQL document whose result and variables are typed from the committed
 * `server/schema.graphql` (introspected into `src/graphql-env.d.ts` by `npm run codegen`).
 * A field the schema does not have fails `npm run typecheck`, not a browser test.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: {
    DateTime: string;
    // The API's JSON fields (ingest reports, cohort criteria) are objects.
    JSON: Record<string, unknown>;
    File: File;
  };
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, VariablesOf, TadaDocumentNode } from 'gql.tada';

/** The values of one of the schema's enums, e.g. `EnumOf<'Role'>`. */
export type EnumOf<Name extends keyof introspection['types']> =
  introspection['types'][Name] extends {
    enumValues: infer V;
  }
    ? V
    : never;
