import { describeDevice } from '../lib/device-label.js';
import {
  CLIENT_ADDRESS_HEADER,
  verifiedClientAddress,
  type ClientAddressSettings,
} from './client-address.js';

/**
 * The header in which the portal forwards the browser's User-Agent: the portal calls the API
 * from its own server side, so the request's own `User-Agent` is the portal's.
 */
export const CLIENT_USER_AGENT_HEADER = 'x-consentome-user-agent';

/**
 * A short description of the caller's device for its session list ("Chrome on Linux"), or null.
 * The forwarded header counts only on a request that also carries an address the portal signed
 * (anyone else could claim any device); such a request without it is described as unknown rather
 * than as the portal. Only the description leaves this function: the raw header is not kept.
 */
export function clientDevice(request: Request, settings: ClientAddressSettings): string | null {
  const fromPortal =
    settings.portalForwardSecret !== null &&
    verifiedClientAddress(
      settings.portalForwardSecret,
      request.headers.get(CLIENT_ADDRESS_HEADER),
    ) !== null;
  return describeDevice(request.headers.get(fromPortal ? CLIENT_USER_AGENT_HEADER : 'user-agent'));
}
