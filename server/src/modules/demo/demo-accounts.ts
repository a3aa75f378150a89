import type { Role } from '../actors/roles.js';

/** The password of every demo account. Demo mode only: never seeded into a server database unless asked. */
export const DEMO_PASSWORD = 'demo-password';

/** The demo accounts printed at start-up. */
export const DEMO_ACCOUNTS: {
  email: string;
  role: Role;
  displayName: string;
  institution: string | null;
}[] = [
  { email: 'patient@demo.local', role: 'participant', displayName: 'Pat Demo', institution: null },
  {
    email: 'researcher@demo.local',
    role: 'researcher',
    displayName: 'Dr Rhea Searcher',
    institution: 'Demo University',
  },
  {
    email: 'ethics@demo.local',
    role: 'ethics_board',
    displayName: 'Prof Ethan Board',
    institution: 'Demo Hospital IRB',
  },
  {
    email: 'steward@demo.local',
    role: 'steward',
    displayName: 'Stella Steward',
    institution: 'Demo Hospital Biobank',
  },
  { email: 'admin@demo.local', role: 'admin', displayName: 'Ada Admin', institution: 'Consentome' },
  // A second board member: the demo committees need two votes.
  {
    email: 'ethics2@demo.local',
    role: 'ethics_board',
    displayName: 'Dr Nia Reviewer',
    institution: 'Demo Hospital IRB',
  },
];
