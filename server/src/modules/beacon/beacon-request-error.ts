/**
 * A request the beacon cannot answer as asked: answered with a `beaconErrorResponse` carrying
 * `status` as its `errorCode` (400 unless said otherwise) and this message, which is safe to show.
 */
export class BeaconRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'BeaconRequestError';
  }
}
