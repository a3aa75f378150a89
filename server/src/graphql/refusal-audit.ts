import {
  Kind,
  type ExecutionArgs,
  type FieldNode,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { idSchema } from '../lib/validators.js';
import { appendAuditEvents, type AuditEntry } from '../modules/audit/audit.service.js';
import { findAppError } from './find-app-error.js';
import type { GraphQLContext, Refusal } from './context.js';

const AUDITED = new Set(['FORBIDDEN', 'NOT_FOUND']);

function rootFields(args: ExecutionArgs): Map<string, FieldNode> {
  const operations = args.document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operations.find((o) => o.name?.value === args.operationName) ?? operations[0] ?? null;
  const fields = new Map<string, FieldNode>();
  for (const s of operation?.selectionSet.selections ?? [])
    if (s.kind === Kind.FIELD) fields.set(s.alias?.value ?? s.name.value, s);
  return fields;
}

/** The id a root field was asked about (`id`, `participantId`, `userId`…), when it is one. */
function targetIdOf(field: FieldNode | undefined, args: ExecutionArgs): string | undefined {
  const arg = field?.arguments?.find((a) => a.name.value === 'id' || /Id$/.test(a.name.value));
  if (!arg) return undefined;
  const value =
    arg.value.kind === Kind.VARIABLE
      ? args.variableValues?.[arg.value.name.value]
      : arg.value.kind === Kind.STRING
        ? arg.value.value
        : undefined;
  const id = idSchema.safeParse(value);
  return id.success ? id.data : undefined;
}

/**
 * Audits every refused read and write that did not audit itself: a role gate saying no (any
 * field, admin mutations included), and FORBIDDEN or NOT_FOUND from a service on a query
 * (another participant's record, a study that is not yours). Each becomes `<field>.refused` with
 * the code and, when the field was asked about an id, that id; written after execution in its
 * own transaction, since the refused operation itself wrote nothing. Workflow writes that answer
 * a typed error are audited by `auditingRefusals` instead.
 */
export const refusalAuditPlugin: Plugin = {
  onExecute({ args }) {
    return {
      async onExecuteDone({ result }) {
        if (!('errors' in result) && !('data' in result)) return;
        const ctx = args.contextValue as unknown as GraphQLContext;
        const refusals = new Map<string, Refusal>(ctx.refusals.map((r) => [r.path, r]));
        for (const error of (result as { errors?: readonly GraphQLError[] }).errors ?? []) {
          const code = findAppError(error)?.code;
          if (code && AUDITED.has(code) && error.path?.length)
            refusals.set(error.path.join('.'), {
              path: error.path.join('.'),
              code: code as Refusal['code'],
            });
        }
        if (refusals.size === 0) return;
        const fields = rootFields(args);
        const entries: AuditEntry[] = [...refusals.values()].map((r) => {
          const field = fields.get(r.path.split('.')[0]!);
          const name = field?.name.value ?? r.path.split('.')[0]!;
          return {
            action: `${name}.refused`,
            targetType: 'graphql_field',
            targetId: targetIdOf(field, args),
            payload: { code: r.code, path: r.path },
          };
        });
        await ctx.db.transaction((tx) => appendAuditEvents(tx, ctx.viewer, entries));
      },
    };
  },
};
