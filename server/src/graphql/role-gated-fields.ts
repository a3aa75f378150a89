import type {
  ArgBuilder,
  FieldNullability,
  InputFieldMap,
  InputShapeFromFields,
  SchemaTypes,
  ShapeFromTypeParam,
  TypeParam,
} from '@pothos/core';
import { builder } from '../builder.js';
import type { Tx } from '../db/database.js';
import type { RefusableAction } from '../modules/audit/audit-actions.js';
import type { Role } from '../modules/actors/roles.js';
import { refusalAuditedTx } from './audit-refusals.js';
import type { GraphQLContext } from './context.js';
import { WRITE_ERRORS } from './error-types.js';
import { inTransaction } from './run.js';

type Types =
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** The attempt a refused write records (see refusalAuditedTx). */
interface AuditedAttempt {
  action: RefusableAction;
  targetType: string;
  targetId?: unknown;
}

/**
 * A root field open to some roles whose resolver is one service call in one transaction. The
 * generics are those of Pothos's `t.field`, so `run` gets the args as typed by `args` and must
 * return what `type` (and `nullable`) declare.
 */
export interface RoleGatedField<
  Type extends TypeParam<Types>,
  Nullable extends FieldNullability<Type>,
  Args extends InputFieldMap,
> {
  type: Type;
  nullable?: Nullable;
  description?: string;
  roles: Role[];
  args?: (t: { arg: ArgBuilder<Types> }) => Args;
  /**
   * When given, a refusal (an AppError) is written to the audit trail as `<action>.refused`
   * in its own transaction, after the service's transaction rolled back.
   */
  audit?: (args: InputShapeFromFields<Args>) => AuditedAttempt;
  run: (
    tx: Tx,
    viewer: GraphQLContext['viewer'],
    args: InputShapeFromFields<Args>,
  ) => Promise<ShapeFromTypeParam<Types, Type, Nullable>>;
}

function define(
  root: 'query' | 'mutation',
  name: string,
  field: RoleGatedField<TypeParam<Types>, boolean, InputFieldMap>,
  errors: { types: typeof WRITE_ERRORS } | undefined,
): void {
  const resolve = (
    _root: unknown,
    args: InputShapeFromFields<InputFieldMap>,
    ctx: GraphQLContext,
  ) =>
    field.audit
      ? refusalAuditedTx(ctx, field.audit(args), (tx) => field.run(tx, ctx.viewer, args))
      : inTransaction(ctx, (tx) => field.run(tx, ctx.viewer, args));
  const fieldFor = (t: PothosSchemaTypes.RootFieldBuilder<Types, Types['Root']>) =>
    // The options are checked at the call site (RoleGatedField ties `run` to `type` and `args`);
    // Pothos cannot resolve its own option types over a generic `type`, hence the cast.
    t.field({
      type: field.type,
      nullable: field.nullable,
      description: field.description,
      authScopes: { roles: field.roles },
      ...(errors ? { errors } : {}),
      args: field.args?.(t) ?? {},
      resolve,
    } as never);
  if (root === 'query') builder.queryField(name, fieldFor);
  else builder.mutationField(name, fieldFor);
}

/**
 * A mutation open to `roles` that runs one service call in one transaction (refusals audited
 * when `audit` is given) and answers the usual write errors (WRITE_ERRORS) as typed results.
 */
export function roleGatedWrite<
  Type extends TypeParam<Types>,
  Args extends InputFieldMap = Record<string, never>,
  Nullable extends FieldNullability<Type> = false,
>(name: string, field: RoleGatedField<Type, Nullable, Args>): void {
  define('mutation', name, field as never, { types: WRITE_ERRORS });
}

/** A query open to `roles` that runs one service call in one transaction. */
export function roleGatedRead<
  Type extends TypeParam<Types>,
  Args extends InputFieldMap = Record<string, never>,
  Nullable extends FieldNullability<Type> = false,
>(name: string, field: RoleGatedField<Type, Nullable, Args>): void {
  define('query', name, field as never, undefined);
}
