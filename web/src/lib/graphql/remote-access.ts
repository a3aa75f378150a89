import { graphql, type ResultOf } from './graphql';

/** What both network access pages show of a request for a dataset held at another member. */
export const RemoteRequestFields = graphql(`
  fragment RemoteRequestFields on RemoteAccessRequest { id member datasetUrl status decisionNote
  decidedAt expiresAt remoteStatus remoteReasons remoteError remoteCheckedAt createdAt
  purpose { primary diseases commercial } export { samples variants sha256 createdAt } }
`);

/** A request as the pages show it. */
export type RemoteRequest = ResultOf<typeof RemoteRequestFields>;
