import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';
import { appendAuditEvent } from '../modules/audit/audit.service.js';
import { secondFactorDemand } from '../modules/identity/second-factor-policy.js';

/** The root field names an operation selects, through inline fragments and fragment spreads. */
function rootFieldNames(
  document: DocumentNode,
  operationName: string | null | undefined,
): string[] {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operations.find((o) => o.name?.value === operationName) ?? operations[0] ?? null;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        walk(fragments.get(s.name.value)?.selectionSet);
      }
    }
  };
  walk(operation?.selectionSet);
  return names;
}

/**
 * Enforces the second-factor policy on every operation before it runs: a request that needs a
 * (recent) second factor it has not proved gets one error with code MFA_REQUIRED or
 * STEP_UP_REQUIRED, nothing executes, and the refusal is audited as `<field>.refused`. The
 * portal is only a convenience: calling the API directly meets the same check.
 */
export const secondFactorPlugin: Plugin = {
  async onExecute({ args, setResultAndStopExecution }) {
    const ctx = args.contextValue as unknown as GraphQLContext;
    const demand = await secondFactorDemand(
      ctx.db,
      ctx.config.identity,
      ctx.viewer,
      rootFieldNames(args.document, args.operationName),
    );
    if (!demand) return;
    await ctx.db.transaction((tx) =>
      appendAuditEvent(tx, ctx.viewer, {
        action: `${demand.field}.refused`,
        targetType: 'graphql_field',
        payload: { code: demand.code },
      }),
    );
    setResultAndStopExecution({
      errors: [new GraphQLError(demand.message, { extensions: { code: demand.code } })],
    });
  },
};
