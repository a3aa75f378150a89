import type { Role } from './roles.js';

/** A signed-in user acting through the API. */
export interface UserActor {
  kind: 'user';
  userId: string;
  role: Role;
  sessionId: string | null;
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

/** True when the actor is a user holding one of `roles`. */
export function hasRole<R extends Role>(
  actor: Actor | null,
  ...roles: R[]
): actor is UserActor & { role: R } {
  return actor?.kind === 'user' && (roles as Role[]).includes(actor.role);
}
