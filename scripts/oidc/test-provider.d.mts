/** A demo user of a test institution. */
export interface TestInstitutionUser {
  sub: string;
  email: string;
  password: string;
  name: string;
  affiliation: string[];
  entitlement: string[];
}

/** A test institution: one OpenID provider with its users. */
export interface TestInstitution {
  id: string;
  displayName: string;
  port: number;
  users: TestInstitutionUser[];
}

/** A running institution's provider. */
export interface RunningInstitution {
  id: string;
  displayName: string;
  issuer: string;
  /** Replaces the provider's signing keys (and forgets its sessions and codes). */
  rotateKeys(): Promise<void>;
  /** Rewrites every token response with `fn` (null: stop); a malicious provider for tests. */
  tamperTokenResponses(fn: ((body: Record<string, unknown>) => unknown) | null): void;
  close(): Promise<void>;
}

export const DEMO_INSTITUTIONS: TestInstitution[];
export const DEMO_CLIENT: { clientId: string; clientSecret: string };

/** Starts one provider per institution on 127.0.0.1. */
export function startTestProvider(options: {
  institutions?: TestInstitution[];
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  randomPorts?: boolean;
}): Promise<{ institutions: RunningInstitution[]; close(): Promise<void> }>;

/** The demo institutions on `portBase`, `portBase + 1`… and the OIDC_PROVIDERS value trusting them. */
export function demoInstitutions(portBase?: number): {
  institutions: TestInstitution[];
  oidcProviders: string;
};
