import type { Database } from '../../db/database.js';
import { bearerToken } from '../../http/request-viewer.js';
import type { VisaChecker } from '../beacon/visa-checker.js';
import { activeGrantsOf } from './active-grants.js';
import { datasetVisaValue } from './grant-visas.js';
import { verifyPassport } from './passport/verify-passport.js';
import { verifyVisa } from './passport/verify-visa.js';
import type { VerifiedVisa } from './passport/verify-visa.js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The Beacon's controlled tier: the datasets granted by the ControlledAccessGrants visas in the
 * bearer passport (or a lone visa) we issued. A visa only counts while its grant is still
 * active in the database, so a revoked grant stops working at once although its signed visa
 * has not expired yet.
 */
export function passportVisaChecker(db: Database, issuer: string): VisaChecker {
  return async (request) => {
    const token = bearerToken(request);
    if (!token || !JWT.test(token)) return new Set();
    let visas: VerifiedVisa[] = [];
    const passport = await verifyPassport(db, token, { issuer });
    if (passport.ok) visas = passport.visas;
    else {
      const lone = await verifyVisa(db, token, { issuer, audienceRequired: false });
      if (lone.ok) visas = [lone.visa];
    }
    const claimed = visas.filter(
      (v) => v.visa.type === 'ControlledAccessGrants' && v.visa.by === 'dac',
    );
    if (!claimed.length) return new Set();
    const granted = new Set<string>();
    const bySubject = new Map<string, Set<string>>();
    for (const v of claimed) {
      let live = bySubject.get(v.subject);
      if (!live) {
        live = new Set(
          (await activeGrantsOf(db, v.subject)).flatMap((g) =>
            g.datasetIds.map((id) => datasetVisaValue(issuer, id)),
          ),
        );
        bySubject.set(v.subject, live);
      }
      if (live.has(v.visa.value)) granted.add(v.visa.value.slice(`${issuer}/datasets/`.length));
    }
    return granted;
  };
}
