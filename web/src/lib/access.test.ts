import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS, decideAccess, isCurrent, mayAct, navFor } from './access';
import { ROLES } from './roles';

describe('decideAccess', () => {
  it('lets anyone open the public pages, signed in or not', () => {
    for (const route of ['/login', '/logout', '/enrol'])
      expect(decideAccess(route, null, null)).toEqual({ kind: 'allow' });
  });

  it('sends the signed-out to sign-in, and answers 401 for polled data', () => {
    expect(decideAccess('/consent', null, null)).toEqual({ kind: 'sign-in', polled: false });
    expect(decideAccess('/datasets/[id]/ingest/[job]', null, null)).toEqual({
      kind: 'sign-in',
      polled: true,
    });
  });

  it('refuses by default a route missing from the table', () => {
    expect(decideAccess('/secret', null, null).kind).toBe('sign-in');
    for (const role of ROLES)
      expect(decideAccess('/secret', role, null)).toEqual({
        kind: 'deny',
        message: 'Your role cannot open this page.',
      });
  });

  it('refuses a role the route does not list, naming the page', () => {
    expect(decideAccess('/cohorts', 'participant', null)).toEqual({
      kind: 'deny',
      message: 'Your role cannot open the cohort builder.',
    });
    expect(decideAccess('/consent', 'researcher', 'default').kind).toBe('deny');
  });

  it('applies an action’s stricter roles, and the page’s to its other actions', () => {
    expect(decideAccess('/grants/[id]', 'admin', null).kind).toBe('allow');
    expect(decideAccess('/grants/[id]', 'admin', 'export')).toEqual({
      kind: 'deny',
      message: 'Your role cannot do this.',
    });
    expect(mayAct('/grants/[id]', 'researcher', 'export')).toBe(true);
    expect(mayAct('/review/[id]', 'admin', 'vote')).toBe(false);
    expect(mayAct('/review/[id]', 'admin', 'revoke')).toBe(true);
  });

  it('lets a route through when SvelteKit matched none (it answers 404)', () => {
    expect(decideAccess(null, null, null)).toEqual({ kind: 'allow' });
  });
});

describe('navFor', () => {
  it('gives each role Home and exactly the listed pages it may open', () => {
    expect(navFor('participant').map((l) => l.label)).toEqual([
      'Home',
      'Your consent',
      'Study requests',
      'Data use',
      'My record',
      'Timeline',
      'Withdraw',
    ]);
    expect(navFor('researcher').map((l) => l.href)).toEqual([
      '/',
      '/studies',
      '/cohorts',
      '/datasets',
      '/network-access',
    ]);
    expect(navFor('consent_coordinator').map((l) => l.href)).toEqual(['/', '/coordinator']);
    expect(navFor('clinician').map((l) => l.href)).toEqual(['/', '/patients']);
    expect(navFor('ethics_board').map((l) => l.href)).toEqual([
      '/',
      // For the committees they chair (an empty list for the other members).
      '/admin/agreements',
      '/review',
      '/cohorts',
      '/datasets',
      '/audit',
      '/chain',
      '/network',
      '/network-access/review',
    ]);
  });

  it('never links a page the role would be refused', () => {
    for (const role of ROLES)
      for (const link of navFor(role))
        expect(decideAccess(link.href, role, null), `${role} → ${link.href}`).toEqual({
          kind: 'allow',
        });
  });

  it('links only routes of the table', () => {
    for (const role of ROLES)
      for (const link of navFor(role).slice(1)) expect(ROUTE_ACCESS[link.href]).toBeDefined();
  });
});

describe('isCurrent', () => {
  it('marks a page and the pages below it, Home only itself', () => {
    expect(isCurrent('/studies', '/studies/42')).toBe(true);
    expect(isCurrent('/studies', '/studies-old')).toBe(false);
    expect(isCurrent('/', '/studies')).toBe(false);
  });
});
