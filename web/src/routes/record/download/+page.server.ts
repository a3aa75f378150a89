import { signedIn } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

/** Participants only (the route table says so); the downloads themselves are audited. */
export const load: PageServerLoad = ({ locals }) => {
  signedIn(locals);
  return {};
};
