/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) started here on
 * 127.0.0.1. The engine listens on a real port too, and a small browser stand-in follows the
 * redirects between the two, keeping each one's cookies. The provider's login page is
 * replaced by an interaction that signs in whichever account the test chose (or cancels).
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error -- oidc-provider ships no type declarations (and the test may not add @types packages)
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localReturnPath, OidcLogin, readOidcConfig, type OidcConfig } from '../../engine/src/auth/oidc.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';

const CLIENT_ID = 'forms-engine';
const CLIENT_SECRET = 'a-test-client-secret-of-some-length';

/** The provider's accounts: the claims it releases for each. */
const ACCOUNTS: Record<string, { email: string; email_verified?: boolean }> = {
  garcia: { email: 'csw.garcia@example.org', email_verified: true },
  'garcia-mixed-case': { email: 'CSW.Garcia@Example.ORG', email_verified: true },
  'garcia-unverified': { email: 'csw.garcia@example.org', email_verified: false },
  'garcia-silent': { email: 'csw.garcia@example.org' },
  lee: { email: 'scsw.lee@example.org', email_verified: true },
  stranger: { email: 'stranger@example.org', email_verified: true },
};

let t: TestEngine;
let provider: any;
let providerServer: http.Server;
let issuer: string;
let engineUrl: string;
let oidcConfig: OidcConfig;
/** What the provider's login interaction does next: sign in this account, or cancel. */
let nextChoice: string = 'garcia';

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function providerInteraction(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  await provider.interactionDetails(req, res);
  const result = nextChoice === 'cancel'
    ? { error: 'access_denied', error_description: 'End-User aborted interaction' }
    : { login: { accountId: nextChoice } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

function startProvider(redirectUrl: string): void {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [{ ...key, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { methods: ['S256'], required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    async findAccount(_ctx: unknown, id: string) {
      const claims = ACCOUNTS[id];
      return claims ? { accountId: id, claims: async () => ({ sub: id, ...claims }) } : undefined;
    },
    // Consent is taken as given, so the only interaction is the login the test chose.
    async loadExistingGrant(ctx: any) {
      const existing = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      if (!ctx.oidc.session.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email');
      await grant.save();
      return grant;
    },
  });
}

/** A browser stand-in: cookies per origin (with their paths), redirects followed by hand. */
class Browser {
  private readonly jar = new Map<string, Map<string, { value: string; path: string }>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name)?.value;
  }

  private cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.origin) ?? new Map();
    return [...cookies].filter(([, c]) => url.pathname.startsWith(c.path)).map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  private keep(url: URL, res: Response): void {
    const cookies = this.jar.get(url.origin) ?? new Map();
    this.jar.set(url.origin, cookies);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((p) => p.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const attr = (n: string) => attributes.find((a) => a.toLowerCase().startsWith(`${n}=`))?.split('=')[1];
      const expired = attr('max-age') === '0' || (attr('expires') !== undefined && Date.parse(attr('expires')!) <= Date.now());
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, { value, path: attr('path') ?? '/' });
    }
  }

  async get(href: string): Promise<Response> {
    const url = new URL(href);
    expect(url.hostname, `only local traffic: ${href}`).toBe('127.0.0.1');
    const cookie = this.cookieHeader(url);
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    this.keep(url, res);
    return res;
  }

  /** Follows redirects from `href` until an answer that is not a redirect, or one that leaves `stopAt`'s path. */
  async follow(href: string, stopAt: (url: URL) => boolean): Promise<{ url: URL; res: Response }> {
    let url = new URL(href);
    for (let hop = 0; hop < 15; hop++) {
      const res = await this.get(url.href);
      const location = res.headers.get('location');
      if (stopAt(url) || res.status < 300 || res.status >= 400 || !location) return { url, res };
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }
}

const isCallback = (url: URL) => url.origin === engineUrl && url.pathname === '/api/auth/oidc/callback';

/** Runs the whole County Login as `choice` and returns the engine's answer to the callback. */
async function countyLogin(choice: string, options: { returnTo?: string; browser?: Browser } = {}) {
  nextChoice = choice;
  const browser = options.browser ?? new Browser();
  const start = `${engineUrl}/api/auth/oidc/login${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ''}`;
  const { url, res } = await browser.follow(start, isCallback);
  expect(isCallback(url), `ended at ${url.href} with ${res.status}`).toBe(true);
  const text = await res.text();
  return { res, url, browser, body: text ? JSON.parse(text) : undefined, sid: browser.cookie(engineUrl, 'sid') };
}

/** Starts a sign-in and stops at the provider: the browser holds the sign-in cookie, the state is in the URL. */
async function startedLogin() {
  const browser = new Browser();
  const res = await browser.get(`${engineUrl}/api/auth/oidc/login`);
  expect(res.status).toBe(302);
  const authorizationUrl = new URL(res.headers.get('location')!);
  return { browser, authorizationUrl, state: authorizationUrl.searchParams.get('state')! };
}

async function me(sid: string | undefined) {
  const res = await fetch(`${engineUrl}/api/auth/me`, { headers: sid ? { cookie: `sid=${sid}` } : {} });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  providerServer = http.createServer((req, res) => {
    const handle = req.url?.startsWith('/interaction/') ? providerInteraction(req, res) : Promise.resolve(provider.callback()(req, res));
    handle.catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  issuer = await listen(providerServer);
  t = await startTestEngine();
  await t.engine.http.listen({ host: '127.0.0.1', port: 0 });
  engineUrl = `http://127.0.0.1:${(t.engine.http.server.address() as AddressInfo).port}`;
  oidcConfig = { issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUrl: `${engineUrl}/api/auth/oidc/callback`, label: 'County Login' };
  startProvider(oidcConfig.redirectUrl);
});

afterAll(async () => {
  await t?.stop();
  await new Promise((resolve) => (providerServer ? providerServer.close(resolve) : resolve(undefined)));
});

describe('settings', () => {
  it('reads the OIDC_* variables, defaulting the label and the redirect URL', () => {
    expect(readOidcConfig({}, { publicUrl: 'https://app.example.org' })).toBeNull();
    expect(readOidcConfig({ OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 's' }, { publicUrl: 'https://app.example.org/' })).toEqual({
      issuer: 'https://login.example.org',
      clientId: 'app',
      clientSecret: 's',
      redirectUrl: 'https://app.example.org/api/auth/oidc/callback',
      label: 'County Login',
    });
    expect(readOidcConfig({
      OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 's',
      OIDC_REDIRECT_URL: 'https://other.example.org/cb', OIDC_LABEL: 'Staff Login',
    }, { publicUrl: 'https://app.example.org' })).toMatchObject({ redirectUrl: 'https://other.example.org/cb', label: 'Staff Login' });
  });

  it('refuses settings that cannot work, naming the variable', () => {
    const publicUrl = 'https://app.example.org';
    expect(() => readOidcConfig({ OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_SECRET: 's' }, { publicUrl })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => readOidcConfig({ OIDC_ISSUER: 'https://login.example.org', OIDC_CLIENT_ID: 'app' }, { publicUrl })).toThrow(/OIDC_CLIENT_SECRET/);
    expect(() => readOidcConfig({ OIDC_ISSUER: 'http://login.example.org', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 's' }, { publicUrl })).toThrow(/OIDC_ISSUER must use https/);
    expect(() => readOidcConfig({ OIDC_ISSUER: 'login', OIDC_CLIENT_ID: 'app', OIDC_CLIENT_SECRET: 's' }, { publicUrl })).toThrow(/OIDC_ISSUER must be an absolute URL/);
  });

  it('accepts only local paths to return to', () => {
    expect(localReturnPath('/')).toBe('/');
    expect(localReturnPath('/cases/abc?tab=files#top')).toBe('/cases/abc?tab=files#top');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', '\\\\evil.example', 'evil.example', '/\tevil', 'javascript:alert(1)', '']) {
      expect(localReturnPath(bad), bad).toBeNull();
    }
  });
});

describe('without single sign-on settings', () => {
  it('answers 404 saying single sign-on is not configured', async () => {
    for (const url of ['/api/auth/oidc', '/api/auth/oidc/login', '/api/auth/oidc/callback?code=x&state=y']) {
      const res = await t.anonymous.get(url);
      expect(res.status, url).toBe(404);
      expect(res.body).toMatchObject({ error: 'Not Found', message: expect.stringMatching(/single sign-on is not configured/i) });
    }
  });
});

describe('County Login', () => {
  beforeAll(async () => {
    const login = new OidcLogin(oidcConfig, { store: t.engine.services.store, users: t.engine.services.users, clock: t.engine.services.clock });
    await login.init();
    t.engine.services.oidc = login;
  });

  it('offers the button with its label', async () => {
    const res = await t.anonymous.get('/api/auth/oidc');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ label: 'County Login', loginUrl: '/api/auth/oidc/login' });
  });

  it('starts with the authorization code flow, PKCE, state and nonce, keeping them in a Lax cookie of its own', async () => {
    const res = await fetch(`${engineUrl}/api/auth/oidc/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: oidcConfig.redirectUrl,
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.stringMatching(/^[\w-]{20,}$/),
      nonce: expect.stringMatching(/^[\w-]{20,}$/),
    });
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^sid_oidc=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/oidc/);
  });

  it('signs a known user in: a session cookie that works on /api/auth/me, then a redirect to /', async () => {
    const { res, sid, browser } = await countyLogin('garcia');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const sessionCookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Strict/i);
    expect(sessionCookie).toMatch(/Path=\//);
    expect(browser.cookie(engineUrl, 'sid_oidc'), 'the sign-in cookie is cleared').toBeUndefined();

    const who = await me(sid);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ email: 'csw.garcia@example.org', name: 'Maria Garcia', csrfToken: expect.any(String) });

    const audit = await t.engine.services.audit.search({ action: 'auth.login', userId: who.body.userId });
    expect(audit.items[0]).toMatchObject({ outcome: 'done', details: { method: 'oidc' } });
  });

  it('matches the e-mail address whatever its case, and trusts a provider that does not say whether it is verified', async () => {
    for (const choice of ['garcia-mixed-case', 'garcia-silent']) {
      const { res, sid } = await countyLogin(choice);
      expect(res.status, choice).toBe(302);
      expect((await me(sid)).body.email).toBe('csw.garcia@example.org');
    }
  });

  it('returns to a local path given at the start', async () => {
    const { res, sid } = await countyLogin('garcia', { returnTo: '/cases?status=open' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/cases?status=open');
    expect((await me(sid)).status).toBe(200);
  });

  it('refuses to return anywhere else', async () => {
    for (const returnTo of ['https://evil.example', '//evil.example/x', '/\\evil.example']) {
      const res = await fetch(`${engineUrl}/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
      expect(res.status, returnTo).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      const body = await res.json();
      expect(body).toMatchObject({ error: 'Bad Request', message: expect.stringMatching(/returnTo must be a path on this server/), errors: [{ path: '/querystring/returnTo' }] });
    }
  });

  it('refuses an e-mail address no account uses, opening no session', async () => {
    const { res, body, sid, browser } = await countyLogin('stranger');
    expect(res.status).toBe(401);
    expect(browser.cookie(engineUrl, 'sid_oidc'), 'the sign-in cookie is cleared on refusal too').toBeUndefined();
    expect(body.message).toBe('County Login signed you in as stranger@example.org, but no active account here uses that e-mail address. Ask an administrator for access.');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('sid='))).toBe(false);
    expect(sid).toBeUndefined();
    const audit = await t.engine.services.audit.search({ action: 'auth.login' });
    expect(audit.items[0]).toMatchObject({ outcome: 'failed', details: { method: 'oidc', reason: 'unknown-email', email: 'stranger@example.org' } });
  });

  it('refuses a locked or an inactive account with the same message', async () => {
    const users = t.engine.services.users.users;
    try {
      await users.updateOne({ email: 'scsw.lee@example.org' }, { $set: { locked: true } });
      const locked = await countyLogin('lee');
      await users.updateOne({ email: 'scsw.lee@example.org' }, { $set: { locked: false, active: false } });
      const inactive = await countyLogin('lee');
      for (const refused of [locked, inactive]) {
        expect(refused.res.status).toBe(401);
        expect(refused.body.message).toBe('County Login signed you in as scsw.lee@example.org, but no active account here uses that e-mail address. Ask an administrator for access.');
        expect(refused.sid).toBeUndefined();
      }
    } finally {
      await users.updateOne({ email: 'scsw.lee@example.org' }, { $set: { locked: false, active: true } });
    }
    expect((await countyLogin('lee')).res.status).toBe(302);
  });

  it('refuses an address the provider says is not verified', async () => {
    const { res, body, sid } = await countyLogin('garcia-unverified');
    expect(res.status).toBe(401);
    expect(body.message).toMatch(/has not verified the e-mail address csw\.garcia@example\.org/);
    expect(sid).toBeUndefined();
  });

  it('answers 4xx when the user cancels at the provider (error=access_denied)', async () => {
    const { res, url, body, sid } = await countyLogin('cancel');
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(res.status).toBe(401);
    expect(body).toMatchObject({ error: 'Unauthorized', message: 'County Login did not sign you in: the sign-in was cancelled or refused there.' });
    expect(sid).toBeUndefined();
  });

  it('passes on other provider errors, without control characters', async () => {
    const { browser, state } = await startedLogin();
    const res = await browser.get(`${engineUrl}/api/auth/oidc/callback?error=temporarily_unavailable&error_description=${encodeURIComponent('Try\r\nlater')}&state=${state}`);
    expect(res.status).toBe(401);
    expect((await res.json()).message).toBe('County Login did not sign you in (temporarily_unavailable: Try  later).');
  });

  it('refuses a forged or missing state, and a callback without a sign-in started in this browser', async () => {
    const forged = await startedLogin();
    const res1 = await forged.browser.get(`${engineUrl}/api/auth/oidc/callback?code=abc&state=forged-state`);
    expect(res1.status).toBe(400);
    expect((await res1.json()).message).toMatch(/does not belong to the sign-in started in this browser/);

    const missing = await startedLogin();
    const res2 = await missing.browser.get(`${engineUrl}/api/auth/oidc/callback?code=abc`);
    expect(res2.status).toBe(400);

    // The right state, but in a browser that did not start the sign-in (login CSRF).
    const elsewhere = await startedLogin();
    const res3 = await new Browser().get(`${engineUrl}/api/auth/oidc/callback?code=abc&state=${elsewhere.state}`);
    expect(res3.status).toBe(400);
    expect((await res3.json()).message).toMatch(/No County Login sign-in is in progress in this browser/);

    const res4 = await new Browser().get(`${engineUrl}/api/auth/oidc/callback?error=access_denied`);
    expect(res4.status).toBe(400);
    for (const res of [res1, res2, res3, res4]) expect(res.headers.getSetCookie().some((c) => c.startsWith('sid='))).toBe(false);
  });

  it('refuses a wrong authorization code with a 4xx, not a 500', async () => {
    const { browser, state } = await startedLogin();
    const res = await browser.get(`${engineUrl}/api/auth/oidc/callback?code=not-a-real-code&state=${state}&iss=${encodeURIComponent(issuer)}`);
    expect(res.status).toBe(401);
    expect((await res.json()).message).toMatch(/County Login did not accept this sign-in \(invalid_grant\)/);
  });

  it('uses each sign-in once: replaying the callback is refused', async () => {
    const first = await countyLogin('garcia');
    expect(first.res.status).toBe(302);
    // The same callback again: its sign-in record is gone.
    expect((await first.browser.get(first.url.href)).status).toBe(400);
    // Its code in a fresh sign-in of the same browser: the provider refuses a code used once.
    const replay = await startedLogin();
    const again = await replay.browser.get(first.url.href.replace(/state=[^&]+/, `state=${replay.state}`));
    expect(again.status).toBe(401);
    expect((await again.json()).message).toMatch(/invalid_grant/);
  });

  it('answers 502 when the provider cannot be reached', async () => {
    const real = t.engine.services.oidc;
    const closed = http.createServer();
    const unreachable = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    t.engine.services.oidc = new OidcLogin({ ...oidcConfig, issuer: unreachable }, { store: t.engine.services.store, users: t.engine.services.users, clock: t.engine.services.clock });
    try {
      const res = await t.anonymous.get('/api/auth/oidc/login');
      expect(res.status).toBe(502);
      expect(res.body).toEqual({ error: 'Bad Gateway', message: 'County Login could not be reached. Please try again later or sign in with your password.', errors: [] });
    } finally {
      t.engine.services.oidc = real;
    }
  });

  it('documents its routes in OpenAPI', async () => {
    const res = await t.anonymous.get('/docs/json');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/auth/oidc', '/api/auth/oidc/login', '/api/auth/oidc/callback']));
  });
});
