#!/usr/bin/env node
// A real OpenID provider for tests and the demo: the certified `oidc-provider` package on
// loopback, one provider per test institution, each with its own port, issuer and signing keys.
// Users sign in on a plain HTML form with their e-mail and password; consent is implied (the
// institutions are first-party to the demo). Nothing here is used in production.
//
//   node scripts/oidc/test-provider.mjs            # prints each issuer; Ctrl-C stops it
//
// Tests import `startTestProvider` and may rotate an institution's keys or tamper with its token
// responses (to play a malicious provider); see test-provider.d.mts.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** The demo institutions, their users and the client the API is registered as. */
export const DEMO_INSTITUTIONS = [
  {
    id: 'demo-university',
    displayName: 'Demo University',
    port: 4100,
    users: [
      {
        sub: 'rhea-7f3c',
        email: 'rhea@demo-university.example',
        password: 'demo-password',
        name: 'Rhea Demo',
        affiliation: ['member@demo-university.example', 'faculty@demo-university.example'],
        entitlement: ['urn:mace:demo-university.example:researcher'],
      },
      {
        sub: 'mara-5d02',
        email: 'mara@demo-university.example',
        password: 'demo-password',
        name: 'Mara Demo',
        affiliation: ['staff@demo-university.example'],
        entitlement: [],
      },
      {
        sub: 'otto-21aa',
        email: 'otto@demo-university.example',
        password: 'demo-password',
        name: 'Otto Demo',
        affiliation: ['student@demo-university.example'],
        entitlement: [],
      },
    ],
  },
  {
    id: 'second-institute',
    displayName: 'Second Institute',
    port: 4101,
    users: [
      {
        sub: 'sam-90b1',
        email: 'sam@second-institute.example',
        password: 'demo-password',
        name: 'Sam Second',
        affiliation: ['staff@second-institute.example'],
        entitlement: [],
      },
    ],
  },
];

/** The client id and secret every demo institution registers for the API. */
export const DEMO_CLIENT = {
  clientId: 'consentome',
  clientSecret: 'demo-client-secret-not-for-production',
};

async function signingKeys() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { keys: [{ ...jwk, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] };
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(institution, uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(institution.displayName)} sign-in</title></head>
<body><main><h1>${escapeHtml(institution.displayName)}</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>E-mail <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in to ${escapeHtml(institution.displayName)}</button>
</form></main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function buildProvider(issuer, institution, redirectUris, postLogoutRedirectUris) {
  const byId = new Map(institution.users.map((u) => [u.sub, u]));
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_CLIENT.clientId,
        client_secret: DEMO_CLIENT.clientSecret,
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: await signingKeys(),
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      eduperson: ['eduperson_scoped_affiliation', 'eduperson_entitlement'],
    },
    // The institution's claims ride in the ID token too, as many academic providers do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // First-party demo: every scope the client asks for is granted without a consent screen.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile eduperson');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      const user = byId.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: user.email,
          email_verified: true,
          name: user.name,
          eduperson_scoped_affiliation: user.affiliation,
          eduperson_entitlement: user.entitlement,
        }),
      };
    },
  });
  return provider;
}

async function startInstitution(institution, options) {
  const state = { provider: null, tamper: null };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      const login = url.pathname.match(/^\/interaction\/([\w-]+)\/login$/);
      const show = url.pathname.match(/^\/interaction\/([\w-]+)$/);
      if (login && req.method === 'POST') {
        const details = await state.provider.interactionDetails(req, res);
        const form = await readForm(req);
        const user = institution.users.find((u) => u.email === form.get('email'));
        if (!user || user.password !== form.get('password')) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(loginPage(institution, details.uid, 'E-mail or password is wrong.'));
          return;
        }
        await state.provider.interactionFinished(
          req,
          res,
          { login: { accountId: user.sub } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      if (show && req.method === 'GET') {
        const details = await state.provider.interactionDetails(req, res);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(loginPage(institution, details.uid));
        return;
      }
      if (url.pathname === '/token' && state.tamper) {
        // A malicious provider: let the real token endpoint answer, then rewrite its body.
        const tamper = state.tamper;
        const write = res.write.bind(res);
        const end = res.end.bind(res);
        const chunks = [];
        res.write = (chunk) => (chunks.push(Buffer.from(chunk)), true);
        res.end = (chunk) => {
          if (chunk) chunks.push(Buffer.from(chunk));
          const body = Buffer.concat(chunks).toString('utf8');
          let out = body;
          try {
            out = JSON.stringify(tamper(JSON.parse(body)));
          } catch {
            // not JSON: pass through
          }
          res.removeHeader('content-length');
          res.setHeader('content-length', Buffer.byteLength(out));
          write(out);
          return end();
        };
      }
      state.provider.callback()(req, res);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${error.message}`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const make = () =>
    buildProvider(issuer, institution, options.redirectUris, options.postLogoutRedirectUris);
  state.provider = await make();
  return {
    id: institution.id,
    displayName: institution.displayName,
    issuer,
    /** Replaces the provider's signing keys (and forgets its sessions and codes). */
    async rotateKeys() {
      state.provider = await make();
    },
    /** Rewrites every token response with `fn` (null: stop); a malicious provider for tests. */
    tamperTokenResponses(fn) {
      state.tamper = fn;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts one provider per institution on 127.0.0.1. `redirectUris` are the RP callback URLs the
 * client may use; `port: 0` on an institution picks a free port (tests), its fixed port otherwise.
 */
export async function startTestProvider({
  institutions = DEMO_INSTITUTIONS,
  redirectUris,
  postLogoutRedirectUris = [],
  randomPorts = false,
}) {
  const started = [];
  for (const institution of institutions)
    started.push(
      await startInstitution(institution, {
        port: randomPorts ? 0 : institution.port,
        redirectUris,
        postLogoutRedirectUris,
      }),
    );
  return {
    institutions: started,
    close: () => Promise.all(started.map((i) => i.close())).then(() => undefined),
  };
}

/**
 * The institutions with their ports moved to `portBase`, `portBase + 1`… (the defaults 4100
 * and 4101 otherwise), and the `OIDC_PROVIDERS` value that makes the API trust them: Demo
 * University's new accounts are active researchers, Second Institute's wait for approval.
 */
export function demoInstitutions(portBase) {
  const institutions = DEMO_INSTITUTIONS.map((institution, i) => ({
    ...institution,
    port: portBase ? portBase + i : institution.port,
  }));
  const providers = institutions.map((institution, i) => ({
    id: institution.id,
    displayName: institution.displayName,
    issuer: `http://127.0.0.1:${institution.port}`,
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    roles: ['researcher'],
    newAccounts: i === 0 ? 'active' : 'pending',
  }));
  return { institutions, oidcProviders: JSON.stringify(providers) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const webOrigin = process.env.WEB_ORIGIN ?? `http://127.0.0.1:${process.env.WEB_PORT ?? '3000'}`;
  const base = process.env.OIDC_TEST_PORT ? Number(process.env.OIDC_TEST_PORT) : undefined;
  const running = await startTestProvider({
    institutions: demoInstitutions(base).institutions,
    redirectUris: [`${webOrigin}/login/oidc/callback`],
    postLogoutRedirectUris: [`${webOrigin}/login`],
  });
  for (const i of running.institutions) console.log(`[oidc] ${i.displayName}: ${i.issuer}`);
  const stop = () => running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
