import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { builder } from '../builder.js';

// Default deny: every root field needs a signed-in user unless it sets skipTypeScopes.
builder.queryType({ authScopes: { authenticated: true } });
builder.mutationType({ authScopes: { authenticated: true } });

builder.addScalarType(
  'DateTime',
  new GraphQLScalarType<Date, string>({
    name: 'DateTime',
    description: 'An instant, as an ISO 8601 string in UTC.',
    serialize: (value) => {
      if (value instanceof Date) return value.toISOString();
      throw new GraphQLError('DateTime must be a Date');
    },
    parseValue: (value) => parseDate(value),
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
      return parseDate(ast.value);
    },
  }),
);

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string');
  return date;
}

builder.scalarType('File', {
  description: 'An uploaded file (GraphQL multipart request).',
  serialize: () => {
    throw new GraphQLError('File is an input type only');
  },
});

builder.scalarType('JSON', {
  description: 'A JSON value (reports and other structured results).',
  serialize: (value) => value,
});
