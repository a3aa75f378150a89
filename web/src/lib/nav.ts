/** A link of the main navigation. */
export interface NavLink {
  href: string;
  label: string;
}

const COHORTS: NavLink = { href: '/cohorts', label: 'Cohorts' };
const DATASETS: NavLink = { href: '/datasets', label: 'Datasets' };
const PARTICIPANTS: NavLink = { href: '/participants', label: 'Participants' };
const CHAIN: NavLink = { href: '/chain', label: 'Chain status' };
const CONSENT: NavLink = { href: '/consent', label: 'Your consent' };
const TIMELINE: NavLink = { href: '/timeline', label: 'Timeline' };
const WITHDRAW: NavLink = { href: '/withdraw', label: 'Withdraw' };
const AUDIT: NavLink = { href: '/audit', label: 'Audit' };
const USERS: NavLink = { href: '/admin/users', label: 'Users' };
const STUDIES: NavLink = { href: '/studies', label: 'Studies' };
const REVIEW: NavLink = { href: '/review', label: 'Review queue' };
const INBOX: NavLink = { href: '/inbox', label: 'Study requests' };
const DATA_USE: NavLink = { href: '/data-use', label: 'Data use' };

/** The pages each role works with, after Home. */
const BY_ROLE: Record<string, NavLink[]> = {
  participant: [CONSENT, INBOX, DATA_USE, TIMELINE, WITHDRAW],
  researcher: [STUDIES, COHORTS, DATASETS],
  ethics_board: [REVIEW, AUDIT, COHORTS, DATASETS, CHAIN],
  steward: [DATASETS, PARTICIPANTS, COHORTS],
  admin: [USERS, STUDIES, DATASETS, PARTICIPANTS, COHORTS, AUDIT, CHAIN],
};

/** The main navigation for a role (Home first). */
export function navFor(role: string): NavLink[] {
  return [{ href: '/', label: 'Home' }, ...(BY_ROLE[role] ?? [])];
}

/** True when `pathname` is the page of `href` or below it. */
export function isCurrent(href: string, pathname: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
