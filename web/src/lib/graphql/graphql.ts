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
    JSON: unknown;
    File: File;
  };
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, VariablesOf, TadaDocumentNode } from 'gql.tada';
