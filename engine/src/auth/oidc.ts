/**
 * Single sign-on through an OpenID Connect provider, as a second way to sign in beside the
 * password. The authorization code flow with PKCE, state and nonce (openid-client does the
 * protocol checks); the person the provider vouches for is matched by e-mail to an existing
 * active, unlocked account. SSO never creates an account.
 *
 * A sign-in in progress is a short-lived record in the store keyed by the SHA-256 of a random
 * id; the browser holds the id in its own cookie, so the callback only succeeds in the
 * browser that started the sign-in (no login CSRF), once, within LOGIN_MINUTES.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Clock } from '../clock.js';
import { BadRequestError, UnauthorizedError } from '../errors.js';
import type { Collection, Store } from '../store/types.js';
import type { UserDirectory, UserRecord } from './users.js';

export interface OidcConfig {
  /** The provider's Issuer Identifier; its metadata is read from /.well-known/openid-configuration. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This server's callback as registered at the provider: …/api/auth/oidc/callback. */
  redirectUrl: string;
  /** What sign-in pages call this way of signing in. */
  label: string;
}

export const DEFAULT_OIDC_LABEL = 'County Login';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
/** How long a started sign-in may take at the provider. */
export const LOGIN_MINUTES = 10;
const SCOPE = 'openid email';
const RETURN_TO_MAX = 512;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Plain http is accepted for a provider on this machine only (development and tests). */
function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname);
}

function parseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new Error(`${name} must use https (plain http only on localhost), got "${value}"`);
  }
  return url;
}

/** Throws when the configuration cannot work, naming the setting. */
export function checkOidcConfig(config: OidcConfig): void {
  parseUrl('OIDC_ISSUER', config.issuer);
  parseUrl('OIDC_REDIRECT_URL', config.redirectUrl);
  if (!config.clientId) throw new Error('OIDC_CLIENT_ID is required');
  if (!config.clientSecret) throw new Error('OIDC_CLIENT_SECRET is required');
}

/**
 * SSO settings from the environment; null when OIDC_ISSUER is not set (SSO off). The
 * redirect URL defaults to `publicUrl` + the callback path.
 */
export function readOidcConfig(env: NodeJS.ProcessEnv, defaults: { publicUrl: string }): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const config: OidcConfig = {
    issuer,
    clientId: env.OIDC_CLIENT_ID?.trim() ?? '',
    clientSecret: env.OIDC_CLIENT_SECRET ?? '',
    redirectUrl: env.OIDC_REDIRECT_URL?.trim() || `${defaults.publicUrl.replace(/\/+$/, '')}${OIDC_CALLBACK_PATH}`,
    label: env.OIDC_LABEL?.trim() || DEFAULT_OIDC_LABEL,
  };
  checkOidcConfig(config);
  return config;
}

/** Control characters (C0 and DEL), which have no place in a path or a message. */
function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/**
 * The local path to go to after signing in, or null when `value` could lead anywhere else
 * (another origin, a protocol-relative `//host`, backslashes browsers read as slashes, control characters).
 */
export function localReturnPath(value: string): string | null {
  if (value.length > RETURN_TO_MAX || !value.startsWith('/') || value.startsWith('//')) return null;
  if (value.includes('\\') || [...value].some(isControl)) return null;
  const base = 'http://local.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The provider could not be reached or answered nonsense: not the caller's fault (502). */
export class OidcProviderUnavailableError extends Error {
  override name = 'OidcProviderUnavailableError';
}

interface LoginRecord {
  _id: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: Date;
}

export interface StartedLogin {
  /** For the browser's transient cookie. */
  loginId: string;
  authorizationUrl: URL;
}

export interface CompletedLogin {
  user: UserRecord;
  returnTo: string;
}

/** Why a sign-in the provider vouched for was refused: for the audit trail, never for the caller. */
export class OidcRefusedError extends UnauthorizedError {
  override name = 'OidcRefusedError';
  constructor(message: string, readonly reason: string, readonly email?: string) {
    super(message);
  }
}

function digest(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** `email_verified` as providers send it (some send the string "true"). */
function verified(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

export interface OidcLoginDeps {
  store: Store;
  users: UserDirectory;
  clock: Clock;
}

export class OidcLogin {
  private readonly logins: Collection<LoginRecord>;
  private discovered: Promise<client.Configuration> | null = null;

  constructor(readonly config: OidcConfig, private readonly deps: OidcLoginDeps) {
    checkOidcConfig(config);
    this.logins = deps.store.collection<LoginRecord>('oidc_logins');
  }

  get label(): string {
    return this.config.label;
  }

  async init(): Promise<void> {
    await this.logins.createIndex({ key: { expiresAt: 1 } });
  }

  /** The provider's metadata, read once (again after a failure). */
  private provider(): Promise<client.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.config.issuer);
      const attempt = client
        .discovery(issuer, this.config.clientId, this.config.clientSecret, client.ClientSecretBasic(this.config.clientSecret), {
          timeout: 10,
          ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        })
        .catch((error: unknown) => {
          this.discovered = null;
          throw new OidcProviderUnavailableError(`${this.label} could not be reached. Please try again later or sign in with your password.`, { cause: error });
        });
      this.discovered = attempt;
    }
    return this.discovered;
  }

  /** Starts a sign-in: remembers state, nonce and PKCE verifier, and gives the provider's URL to send the browser to. */
  async begin(returnTo: string): Promise<StartedLogin> {
    const provider = await this.provider();
    const now = this.deps.clock.now();
    await this.logins.deleteMany({ expiresAt: { $lt: now } });
    const loginId = randomBytes(32).toString('base64url');
    const record: LoginRecord = {
      _id: digest(loginId),
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
      expiresAt: new Date(now.getTime() + LOGIN_MINUTES * 60_000),
    };
    await this.logins.insertOne(record);
    const authorizationUrl = client.buildAuthorizationUrl(provider, {
      redirect_uri: this.config.redirectUrl,
      scope: SCOPE,
      response_type: 'code',
      state: record.state,
      nonce: record.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(record.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { loginId, authorizationUrl };
  }

  /** Takes the sign-in record of `loginId` out of the store: each can be used once. */
  private async take(loginId: string | undefined): Promise<LoginRecord | null> {
    if (!loginId || !/^[A-Za-z0-9_-]{43}$/.test(loginId)) return null;
    const id = digest(loginId);
    const record = await this.logins.findOne({ _id: id });
    if (!record) return null;
    const { deletedCount } = await this.logins.deleteOne({ _id: id });
    if (deletedCount !== 1 || record.expiresAt.getTime() <= this.deps.clock.now().getTime()) return null;
    return record;
  }

  /**
   * Finishes a sign-in from the provider's answer (the callback's query string): checks it
   * belongs to the sign-in `loginId` started, redeems the code, verifies the ID token and
   * finds the account of its e-mail address.
   */
  async complete(loginId: string | undefined, query: URLSearchParams): Promise<CompletedLogin> {
    const record = await this.take(loginId);
    if (!record) {
      throw new BadRequestError(`No ${this.label} sign-in is in progress in this browser, or it took longer than ${LOGIN_MINUTES} minutes. Please start again.`);
    }
    const state = query.get('state');
    if (!state || state !== record.state) {
      throw new BadRequestError(`The answer from ${this.label} does not belong to the sign-in started in this browser. Please start again.`);
    }
    const providerError = query.get('error');
    if (providerError) {
      const code = providerError.replace(/[^\w.-]/g, '').slice(0, 64);
      const description = [...(query.get('error_description') ?? '')].map((c) => (isControl(c) ? ' ' : c)).join('').slice(0, 200);
      throw new OidcRefusedError(
        code === 'access_denied'
          ? `${this.label} did not sign you in: the sign-in was cancelled or refused there.`
          : `${this.label} did not sign you in (${code}${description ? `: ${description}` : ''}).`,
        `provider:${code}`,
      );
    }
    if (!query.get('code')) throw new BadRequestError(`The answer from ${this.label} has no authorization code. Please start again.`);

    const provider = await this.provider();
    const currentUrl = new URL(this.config.redirectUrl);
    currentUrl.search = query.toString();
    const claims = await this.claimsFor(provider, currentUrl, record);
    const user = await this.accountFor(claims);
    await this.deps.users.recordLogin(user._id, this.deps.clock.now());
    return { user, returnTo: record.returnTo };
  }

  /** The ID token's claims, with e-mail from the userinfo endpoint when the ID token leaves it out. */
  private async claimsFor(provider: client.Configuration, currentUrl: URL, record: LoginRecord): Promise<Record<string, unknown>> {
    try {
      const tokens = await client.authorizationCodeGrant(provider, currentUrl, {
        pkceCodeVerifier: record.codeVerifier,
        expectedState: record.state,
        expectedNonce: record.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new OidcRefusedError(`${this.label} sent no ID token.`, 'no-id-token');
      if (typeof idClaims.email === 'string') return idClaims;
      const info = await client.fetchUserInfo(provider, tokens.access_token, idClaims.sub);
      return { ...idClaims, email: info.email, email_verified: info.email_verified };
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) {
        throw new OidcRefusedError(`${this.label} did not accept this sign-in (${error.error}). Please start again.`, `provider:${error.error}`);
      }
      if (error instanceof client.ClientError) {
        throw new OidcRefusedError(`The answer from ${this.label} could not be verified. Please start again.`, `verification:${error.code ?? error.message}`);
      }
      throw new OidcProviderUnavailableError(`${this.label} could not be reached. Please try again later or sign in with your password.`, { cause: error });
    }
  }

  /**
   * The active, unlocked account of the verified e-mail address. A provider that says the
   * address is not verified is refused; one that does not say is trusted (many enterprise
   * providers only issue addresses they manage and leave `email_verified` out).
   */
  private async accountFor(claims: Record<string, unknown>): Promise<UserRecord> {
    const email = typeof claims.email === 'string' ? claims.email.trim() : '';
    if (!email || email.length > 254 || !email.includes('@')) {
      throw new OidcRefusedError(`${this.label} did not give an e-mail address, so no account can be matched. Ask your administrator to release the e-mail claim to this application.`, 'no-email');
    }
    if (verified(claims.email_verified) === false) {
      throw new OidcRefusedError(`${this.label} has not verified the e-mail address ${email}, so it cannot be used to sign in here.`, 'email-not-verified', email);
    }
    const user = await this.deps.users.byEmail(email);
    if (!user || !user.active || user.locked) {
      const reason = !user ? 'unknown-email' : !user.active ? 'inactive' : 'locked';
      throw new OidcRefusedError(`${this.label} signed you in as ${email}, but no active account here uses that e-mail address. Ask an administrator for access.`, reason, email);
    }
    return user;
  }
}
