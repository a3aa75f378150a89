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
  // Signs for the demo researcher's institution: approves its requests, issues library cards.
  {
    email: 'so@demo.local',
    role: 'signing_official',
    displayName: 'Sol Signer',
    institution: 'Demo University',
  },
];

/**
 * Staff-assisted and proxy consent in the demo: the site's consent coordinator, a teenage
 * participant (P-DEMO0002) and their parent, linked as legal representative until the
 * teenager's majority. Kept apart from DEMO_ACCOUNTS, whose every account gets a notification.
 */
export const DEMO_ASSISTED_ACCOUNTS = {
  coordinator: {
    email: 'coordinator@demo.local',
    role: 'consent_coordinator',
    displayName: 'Cora Coordinator',
    institution: 'Demo Hospital Biobank',
  },
  represented: {
    email: 'sam@demo.local',
    role: 'participant',
    displayName: 'Sam Demo',
    institution: null,
  },
  guardian: {
    email: 'guardian@demo.local',
    role: 'participant',
    displayName: 'Gail Guardian',
    institution: null,
  },
} as const satisfies Record<string, (typeof DEMO_ACCOUNTS)[number]>;

/**
 * The demo clinician, whom the demo patient authorised to read and append to their record. Kept
 * apart from DEMO_ACCOUNTS, whose every account gets a notification.
 */
export const DEMO_CLINICIAN = {
  email: 'clinician@demo.local',
  role: 'clinician',
  displayName: 'Dr Clara Clinician',
  institution: 'Demo Hospital',
} as const satisfies (typeof DEMO_ACCOUNTS)[number];

/** The demo care team at the clinician's hospital, with the demo clinician as its member. */
export const DEMO_CARE_TEAM = { name: 'Clinical Genetics Team', institution: 'Demo Hospital' };

/** The demo site: every demo participant belongs to it, and so does the coordinator. */
export const DEMO_SITE = 'Demo Hospital Biobank';

/** The paper consent form version the demo registers. */
export const DEMO_FORM_VERSION = { version: 'PAPER-2026-01', title: 'Paper consent form, 2026' };
