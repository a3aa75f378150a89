import type { Role } from './roles.js';

/**
 * For whom a user acts when it is not themself: a legally authorised representative acting for
 * the participant they represent, or a consent coordinator recording a decision the participant
 * took on paper or in person. The participant services resolve "the participant" from it
 * (participants/signed-in-participant.ts checks it at every use), and every audit event written
 * under it says so (`onBehalf` in its payload).
 */
export type ActingFor =
  | { as: 'representative'; participantId: string }
  | {
      as: 'staff';
      participantId: string;
      /** When recording a paper decision: the form's version and the day it was signed. */
      paper?: { signedOn: string; formVersion: string };
    };

/** A signed-in user acting through the API. */
export interface UserActor {
  kind: 'user';
  userId: string;
  role: Role;
  sessionId: string | null;
  /** Set when the user acts for a participant (see `ActingFor`). */
  actingFor?: ActingFor;
}

/** The platform itself acting (CLI commands, seeding, background jobs). */
export interface SystemActor {
  kind: 'system';
  name: string;
}

/** Who is doing something; `null` where anonymous callers are allowed (login, enrolment). */
export type Actor = UserActor | SystemActor;

/** The system actor used by CLI commands run by an operator on the server machine. */
export function systemActor(name: string): SystemActor {
  return { kind: 'system', name };
}

/**
 * A user acting with no session: one who proved who they are by a mailed link (password reset,
 * address confirmation), or an account the demo seed acts as.
 */
export function sessionlessUser(userId: string, role: Role): UserActor {
  return { kind: 'user', userId, role, sessionId: null };
}

/** True when the actor is a user holding one of `roles`. */
export function hasRole<R extends Role>(
  actor: Actor | null,
  ...roles: R[]
): actor is UserActor & { role: R } {
  return actor?.kind === 'user' && (roles as Role[]).includes(actor.role);
}
