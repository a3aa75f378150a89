/**
 * The reference for the request-overhead benchmark: a bare graphql-yoga server on node:http
 * answering the same query shape as the API's `me` ({ me { id displayName role } }) from a
 * constant, with no authentication, database, audit or hardening. Started by request-bench.ts
 * in its own process; prints its URL on stdout.
 *
 *   node --import tsx bench/bare-yoga-server.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      type User {
        id: ID!
        displayName: String!
        role: String!
      }
      type Query {
        me: User
      }
    `,
    resolvers: {
      Query: { me: () => ({ id: 'u-1', displayName: 'Bench Researcher', role: 'researcher' }) },
    },
  }),
  logging: false,
  graphiql: false,
});

const server = http.createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}/graphql\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
