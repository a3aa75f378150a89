/** Where an audit event is anchored, and the RFC 6962 path that proves it. */
export interface ChainProof {
  batch: number;
  merkleRoot: string;
  steps: { side: string; hash: string }[];
  txHash: string | null;
  height: number | null;
  blockTime: string | null;
}

/** An audit event about the participant's data, as `myTimeline` and `myDataUse` give it. */
export interface TimelineEvent {
  seq: number;
  occurredAt: string;
  action: string;
  actorRole: string;
  hash: string;
  prevHash: string;
  canonical: string;
  /** Null until the event's batch is sealed. */
  proof: ChainProof | null;
}

/** The GraphQL selection of a TimelineEvent (the API's `TimelineEvent` type). */
export const TIMELINE_EVENT_FIELDS = `seq occurredAt action actorRole hash prevHash canonical
  proof { batch merkleRoot steps { side hash } txHash height blockTime }`;
