import type { AnchorRecord } from '@consentome/contracts-client';
import type { Route } from '../../http/router.js';

/** Where the contract's audit anchors are served, one batch per path: `/chain/anchors/7`. */
export const ANCHOR_PATH = '/chain/anchors';

/** The one contract query the route answers. */
export interface AnchorSource {
  kind: 'embedded' | 'real';
  contractAddress: string;
  /** This institution's writer address: its audit anchors are its own stream on the contract. */
  writer: string;
  /** The contract's `{ anchor: { writer, batch } }` smart query, answered from the chain's state. */
  anchor(batch: number): Promise<AnchorRecord | null>;
}

const json = (body: unknown, status: number, extra: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra },
  });

/**
 * `GET /chain/anchors/<batch>`: the contract's own answer to `{"anchor":{"writer":<ours>,"batch":<batch>}}`, read
 * from the chain's state (the embedded chain's contract, or a real node's smart query), never from
 * our database, so a browser can check an inclusion proof against the root the chain holds.
 * Read-only and public: anchors carry Merkle roots and sequence ranges, nothing personal, and are
 * public on any chain anyway. On a real chain anyone can ask the node the same query.
 */
export function anchorRoute(source: () => AnchorSource): Route {
  return {
    prefix: ANCHOR_PATH,
    handler: async (request) => {
      if (request.method !== 'GET')
        return json({ error: 'method not allowed' }, 405, { Allow: 'GET' });
      const rest = new URL(request.url).pathname.slice(ANCHOR_PATH.length);
      const match = /^\/([1-9][0-9]{0,8})$/.exec(rest);
      if (!match)
        return json({ error: 'Ask for /chain/anchors/<batch>, a positive whole number.' }, 400);
      const batch = Number(match[1]);
      const chain = source();
      let anchor: AnchorRecord | null;
      try {
        anchor = await chain.anchor(batch);
      } catch {
        return json({ error: 'The chain did not answer; try again shortly.' }, 503);
      }
      const body = {
        chain: chain.kind,
        contract: chain.contractAddress,
        query: { anchor: { writer: chain.writer, batch } },
        anchor,
      };
      return json(body, anchor ? 200 : 404);
    },
  };
}
