import { ROLES, type Role } from './roles';

/** Who may use one route of the portal. */
interface RouteAccess {
  /** The roles that may open it, or `public` for pages anyone may open signed in or not. */
  roles: readonly Role[] | 'public';
  /** How the refusal names the page: "Your role cannot open {what}." */
  what: string;
  /** Roles of form actions stricter than the page's, by action name. */
  actions?: Record<string, readonly Role[]>;
  /** Its main navigation link: for the roles that may open it, or only for `roles`. */
  nav?: { label: string; roles?: readonly Role[] };
  /** Data polled by a page (a `+server.ts` endpoint): a missing session answers 401, not sign-in. */
  polled?: true;
}

const STAFF = ['researcher', 'ethics_board', 'steward', 'admin'] as const;
const BOARD = ['ethics_board', 'admin'] as const;
const STUDY_READERS = ['researcher', 'ethics_board', 'admin'] as const;
const STEWARDS = ['steward', 'admin'] as const;
const PARTICIPANT = ['participant'] as const;
const COORDINATOR = ['consent_coordinator'] as const;
const CLINICIAN = ['clinician'] as const;

/** A route for `roles`, named `what` in refusals, with a main-navigation link when `nav` is given. */
function route(roles: RouteAccess['roles'], what: string, nav?: string): RouteAccess {
  return nav ? { roles, what, nav: { label: nav } } : { roles, what };
}

/** A participant's own page; refusals add "(participants only)" to `what`. */
const participantsOnly = (what: string, nav?: string) =>
  route(PARTICIPANT, `${what} (participants only)`, nav);

/**
 * Every route of the portal, by SvelteKit route id, and who may use it. The one table behind
 * both the navigation and the guard in hooks.server.ts: a route missing here is refused to
 * everyone signed in and sends everyone else to the sign-in page. The API checks again.
 * In navigation order.
 */
export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  '/login': { roles: 'public', what: 'the sign-in page' },
  '/login/oidc/callback': { roles: 'public', what: "the institution's sign-in callback" },
  '/login/oidc/[provider]': { roles: 'public', what: 'signing in through an institution' },
  '/login/passkey': { roles: 'public', what: 'signing in with a passkey' },
  '/login/passkey/options': { roles: 'public', what: 'signing in with a passkey' },
  '/forgot-password': { roles: 'public', what: 'asking for a password reset' },
  '/reset-password': { roles: 'public', what: 'choosing a new password' },
  '/logout': { roles: 'public', what: 'signing out' },
  '/language': { roles: 'public', what: 'choosing the language' },
  '/enrol': { roles: 'public', what: 'enrolment' },
  '/chain-anchors/[batch]': { roles: 'public', what: 'chain anchors', polled: true },
  '/': { roles: ROLES, what: 'the start page' },
  '/notifications': { roles: ROLES, what: 'notifications' },
  '/account': { roles: ROLES, what: 'your account' },
  '/account/links': participantsOnly('linking your record at another site'),
  '/consent': participantsOnly('consent preferences', 'Your consent'),
  '/consent/signed-records': participantsOnly('your signed consent records'),
  '/inbox': participantsOnly('study requests', 'Study requests'),
  '/data-use': participantsOnly('your data use', 'Data use'),
  '/record': participantsOnly('your record', 'My record'),
  '/record/clinicians': participantsOnly('the clinicians you authorise'),
  '/timeline': participantsOnly('the timeline', 'Timeline'),
  '/withdraw': participantsOnly('withdrawal', 'Withdraw'),
  '/erase': participantsOnly('erasure'),
  '/record/genotype': participantsOnly('your genotype uploads'),
  '/record/download': participantsOnly('downloading your data'),
  '/record/download/bundle.json': participantsOnly('downloading your data'),
  '/record/download/summary.pdf': participantsOnly('downloading your data'),
  '/acting-for': { roles: PARTICIPANT, what: 'acting for someone you represent' },
  '/coordinator': route(COORDINATOR, 'paper consent (consent coordinators only)', 'Paper consent'),
  '/patients': route(CLINICIAN, 'your patients (clinicians only)', 'Patients'),
  '/patients/[pseudonym]': { roles: CLINICIAN, what: 'patient records (clinicians only)' },
  '/erased': { roles: 'public', what: 'the erasure receipt' },
  '/signing-official': route(['signing_official'], 'the signing official’s page', 'Sign-off'),
  '/admin/users': route(['admin'], 'account administration', 'Users'),
  '/admin/dacs': route(['admin'], 'the data access committees', 'Committees'),
  // Committee chairs too, for the committees they chair (the page lists what the API's publish
  // rule allows them: `Dac.mayPublishAgreement`).
  '/admin/agreements': route(BOARD, 'the data use agreements', 'Agreements'),
  '/admin/consent-forms': route(['admin'], 'the paper consent forms', 'Consent forms'),
  '/admin/care-teams': route(['admin'], 'the care teams', 'Care teams'),
  '/review': {
    roles: BOARD,
    what: 'the review queue',
    nav: { label: 'Review queue', roles: ['ethics_board'] },
  },
  '/review/renewals': {
    roles: ['ethics_board'],
    what: 'grant renewals (committee members)',
  },
  '/review/reports': {
    roles: BOARD,
    what: 'committee reports',
  },
  '/review/reports/report.csv': { roles: BOARD, what: 'committee reports' },
  '/review/[id]': { roles: BOARD, what: 'reviews', actions: { vote: ['ethics_board'] } },
  '/studies': {
    roles: STUDY_READERS,
    what: 'studies',
    nav: { label: 'Studies', roles: ['researcher', 'admin'] },
  },
  '/studies/new': { roles: ['researcher'], what: 'new studies (researchers only)' },
  '/studies/[id]': {
    roles: STUDY_READERS,
    what: 'studies',
    actions: {
      submit: ['researcher'],
      withdraw: ['researcher'],
      evidence: ['researcher'],
      acceptAgreement: ['researcher'],
    },
  },
  '/studies/[id]/request': {
    roles: ['researcher', 'ethics_board'],
    what: 'data access requests',
    actions: { save: ['researcher'], upload: ['researcher'] },
  },
  '/studies/[id]/documents/[docId]': {
    roles: ['researcher', 'ethics_board'],
    what: 'request documents',
  },
  '/studies/[id]/request.pdf': {
    // Signing officials of the requester's institution too (the API checks the institution).
    roles: ['researcher', 'ethics_board', 'signing_official'],
    what: 'printed data access requests',
  },
  '/studies/collaborations': { roles: ['researcher'], what: 'collaborations (researchers only)' },
  '/grants/[id]': {
    roles: STUDY_READERS,
    what: 'grants',
    actions: { export: ['researcher'], revoke: BOARD },
  },
  '/grants/[id]/renewal': { roles: ['researcher'], what: 'renewal reports (grantees only)' },
  '/grants/[id]/closeout': { roles: ['researcher'], what: 'closeouts (grantees only)' },
  '/exports/[id]/[file]': { roles: ['researcher'], what: 'export downloads' },
  '/cohorts': route(STAFF, 'the cohort builder', 'Cohorts'),
  '/datasets': route(STAFF, 'the dataset list', 'Datasets'),
  '/datasets/new': { roles: STEWARDS, what: 'dataset registration' },
  '/datasets/[id]': {
    roles: STAFF,
    what: 'datasets',
    actions: { upload: STEWARDS, networkAccess: STEWARDS },
  },
  '/datasets/[id]/ingest/[job]': { roles: STEWARDS, what: 'ingest progress', polled: true },
  '/participants': route(STEWARDS, 'participant records', 'Participants'),
  '/audit': route(BOARD, 'the audit explorer', 'Audit'),
  '/audit/export.csv': { roles: BOARD, what: 'the audit export' },
  '/chain': route(BOARD, 'the chain status', 'Chain status'),
  '/network': {
    roles: STAFF,
    what: 'the network of institutions',
    nav: { label: 'Network', roles: ['admin', 'ethics_board', 'steward'] },
    actions: { propose: ['admin'], remove: ['admin'], vote: ['admin'], keys: ['admin'] },
  },
  '/network-access': {
    roles: ['researcher'],
    what: 'network access (researchers only)',
    nav: { label: 'Network access' },
  },
  '/network-access/[id]/export.vcf': { roles: ['researcher'], what: 'network export downloads' },
  '/network-access/review': {
    roles: BOARD,
    what: 'network requests to decide',
    nav: { label: 'Network requests' },
    actions: { decide: ['ethics_board'], designate: ['admin'] },
  },
};

/** What the guard decides for one request. */
export type AccessDecision =
  { kind: 'allow' } | { kind: 'sign-in'; polled: boolean } | { kind: 'deny'; message: string };

/**
 * Decides a request from the table: the route id (null when no route matched: SvelteKit answers
 * 404 itself), the viewer's role (null when signed out) and the form action's name, if any.
 */
export function decideAccess(
  routeId: string | null,
  role: Role | null,
  action: string | null,
): AccessDecision {
  if (routeId === null) return { kind: 'allow' };
  const access = ROUTE_ACCESS[routeId];
  if (access?.roles === 'public') return { kind: 'allow' };
  if (role === null) return { kind: 'sign-in', polled: access?.polled ?? false };
  if (!access) return { kind: 'deny', message: 'Your role cannot open this page.' };
  const roles = (action !== null && access.actions?.[action]) || access.roles;
  if (roles.includes(role)) return { kind: 'allow' };
  return {
    kind: 'deny',
    message:
      action !== null && access.actions?.[action]
        ? 'Your role cannot do this.'
        : `Your role cannot open ${access.what}.`,
  };
}

/** True when `role` may run the form action `action` of the route (for showing its form). */
export function mayAct(routeId: string, role: Role, action: string): boolean {
  return decideAccess(routeId, role, action).kind === 'allow';
}

/** A link of the main navigation. */
export interface NavLink {
  href: string;
  label: string;
}

/** The main navigation for a role: Home, then the table's pages the role may open. */
export function navFor(role: Role): NavLink[] {
  const links = Object.entries(ROUTE_ACCESS)
    .filter(([, a]) => a.roles !== 'public' && a.roles.includes(role))
    .flatMap(([href, { nav }]) =>
      nav && (nav.roles ?? [role]).includes(role) ? [{ href, label: nav.label }] : [],
    );
  return [{ href: '/', label: 'Home' }, ...links];
}

/** True when `pathname` is the page of `href` or below it. */
export function isCurrent(href: string, pathname: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
