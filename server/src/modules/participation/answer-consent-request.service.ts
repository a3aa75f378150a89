import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { tellGranteesParticipantLeft } from '../grants/grants.service.js';
import {
  answerConsentRequest as recordAnswer,
  type ConsentRequestView,
} from '../studies/consent-requests.service.js';

/**
 * A participant answers a study's request: the studies module records the decision, and a "no"
 * tells the researchers of that study's active grants that someone left (without saying who).
 */
export async function answerConsentRequest(
  tx: Tx,
  actor: Actor | null,
  input: unknown,
): Promise<ConsentRequestView> {
  const { request, participantId } = await recordAnswer(tx, actor, input);
  if (request.decision === 'deny')
    await tellGranteesParticipantLeft(tx, participantId, request.study.id);
  return request;
}
