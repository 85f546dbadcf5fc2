/**
 * Establishes the caller of every request from the session cookie, guards state-changing
 * requests with the session's CSRF token, holds back callers who must first change a
 * system-generated password, and serves sign-in, sign-out, "who am I" and the password
 * routes (change, forgot, reset). Routes that need a caller use `app.authenticated`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { administrationOf, type AccountAdminRule } from '../auth/admin-scope.js';
import { FORGOT_PASSWORD_ANSWER } from '../auth/credentials.js';
import { TooManyRequestsError } from '../auth/rate-limiter.js';
import { normaliseEmail, principalOf } from '../auth/users.js';
import type { Principal } from '../auth/principal.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { EngineServices } from '../services.js';
import { entryFor } from './audit-plugin.js';
import { principalSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The CSRF token of the session the request's cookie names. */
    csrfToken: string | null;
  }
  interface FastifyInstance {
    /** preHandler: refuses requests without a signed-in caller. */
    authenticated: (request: FastifyRequest) => Promise<void>;
  }
}

export const CSRF_HEADER = 'x-csrf-token';

const ROUTES = {
  login: '/api/auth/login',
  logout: '/api/auth/logout',
  me: '/api/auth/me',
  changePassword: '/api/auth/change-password',
  forgotPassword: '/api/auth/forgot-password',
  resetPassword: '/api/auth/reset-password',
} as const;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes a cookie does not authorise (they carry their own proof), so they need no CSRF token. */
const CSRF_EXEMPT = new Set<string>([ROUTES.login, ROUTES.forgotPassword, ROUTES.resetPassword]);
/** All a caller with a system-generated password may do until they choose their own. */
const OPEN_UNTIL_PASSWORD_CHANGED = new Set<string>([ROUTES.me, ROUTES.changePassword, ROUTES.logout, ROUTES.login]);

const passwordField = { type: 'string', minLength: 1, maxLength: 1024 } as const;

const sessionSchema = {
  type: 'object',
  properties: {
    ...principalSchema.properties,
    mustChangePassword: { type: 'boolean' },
    managesAccounts: { type: 'boolean', description: 'Whether the user administers user accounts (GET /api/users/administration says which).' },
    csrfToken: { type: 'string', description: `Send back in the ${CSRF_HEADER} header of every POST, PUT, PATCH and DELETE.` },
  },
} as const;

/** The caller of a request that passed `authenticated`. */
export function callerOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError('Please sign in.');
  return request.principal;
}

/** preHandler factory: the caller must hold one of `roles`. */
export function requireRole(roles: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = callerOf(request);
    if (!roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}.`);
    }
  };
}

function sameToken(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sessionView(principal: Principal, csrfToken: string, adminRules: readonly AccountAdminRule[]) {
  return { ...principal, mustChangePassword: !!principal.mustChangePassword, managesAccounts: administrationOf(principal, adminRules) !== null, csrfToken };
}

export async function authPlugin(app: FastifyInstance, services: EngineServices): Promise<void> {
  const { sessions, users, credentials, audit, config } = services;
  const cookieName = config.sessions.cookieName;

  app.decorateRequest('principal', null);
  app.decorateRequest('csrfToken', null);
  app.decorate('authenticated', async (request: FastifyRequest) => {
    callerOf(request);
  });

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[cookieName];
    if (!token) return;
    const session = await sessions.resolve(token);
    if (!session) return;
    const user = await users.byId(session.userId);
    if (user && user.active && !user.locked) {
      request.principal = principalOf(user);
      request.csrfToken = session.csrfToken;
    }
  });

  // After body checks, so a malformed request still learns what is wrong with it.
  app.addHook('preHandler', async (request) => {
    const principal = request.principal;
    if (!principal || !request.csrfToken) return;
    const route = request.routeOptions.url ?? '';
    if (STATE_CHANGING.has(request.method) && !CSRF_EXEMPT.has(route) && !sameToken(request.headers[CSRF_HEADER], request.csrfToken)) {
      throw new ForbiddenError(`This request lacks its security token. Send the ${CSRF_HEADER} header with the token given at sign-in (also returned by GET ${ROUTES.me}); if the page was open for long, reload it.`);
    }
    if (principal.mustChangePassword && !OPEN_UNTIL_PASSWORD_CHANGED.has(route)) {
      throw new ForbiddenError(`Please change your password first: you signed in with a temporary password. Choose your own with POST ${ROUTES.changePassword}.`);
    }
  });

  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
  });

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(cookieName, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.sessions.secureCookies,
      maxAge: config.sessions.absoluteHours * 3600,
    });

  const logError = (request: FastifyRequest) => (error: unknown) => request.log.error({ err: error }, 'background account work failed');

  app.post<{ Body: { email: string; password: string } }>(ROUTES.login, {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with e-mail and password; sets the session cookie and returns the CSRF token',
      description: 'Too many failed attempts from one address or on one account answer 429. An account locked after repeated failures, an inactive or unknown one answer the same 401 as a wrong password.',
      body: {
        type: 'object',
        required: ['email', 'password'],
        additionalProperties: false,
        properties: { email: { type: 'string', minLength: 3, maxLength: 254 }, password: passwordField },
      },
      response: { 200: sessionSchema },
    },
  }, async (request, reply) => {
    const email = normaliseEmail(request.body.email);
    let principal: Principal;
    try {
      principal = await credentials.login(email, request.body.password, {
        address: request.ip,
        onError: logError(request),
        onLocked: (userId) => {
          audit.record(entryFor(request, { action: 'account.lock', entity: { type: 'user', id: userId }, details: { failedLogins: config.auth.maxFailedLogins } }))
            .catch(logError(request));
        },
      });
    } catch (error) {
      if (error instanceof UnauthorizedError) await request.audit({ action: 'auth.login', outcome: 'failed', details: { email } });
      throw error;
    }
    const opened = await sessions.open(principal.userId);
    request.principal = principal;
    await request.audit({ action: 'auth.login', entity: { type: 'user', id: principal.userId } });
    setSessionCookie(reply, opened.token);
    return sessionView(principal, opened.csrfToken, config.auth.administration);
  });

  app.post(ROUTES.logout, {
    schema: { tags: ['auth'], summary: 'Sign out: ends the session', response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const token = request.cookies[cookieName];
    if (token) await sessions.close(token);
    reply.clearCookie(cookieName, { path: '/' });
    return reply.status(204).send();
  });

  app.get(ROUTES.me, {
    preHandler: app.authenticated,
    schema: { tags: ['auth'], summary: 'The signed-in user, and the CSRF token of the session', response: { 200: sessionSchema } },
  }, async (request) => sessionView(callerOf(request), request.csrfToken ?? '', config.auth.administration));

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(ROUTES.changePassword, {
    preHandler: app.authenticated,
    schema: {
      tags: ['auth'],
      summary: 'Change your own password (required first after signing in with a temporary one); ends your other sessions',
      description: 'A new password that breaks the password rules answers 422 with one error at /newPassword per rule it breaks.',
      body: {
        type: 'object',
        required: ['currentPassword', 'newPassword'],
        additionalProperties: false,
        properties: { currentPassword: passwordField, newPassword: passwordField },
      },
      response: { 204: { type: 'null' } },
    },
  }, async (request, reply) => {
    const principal = callerOf(request);
    await credentials.changePassword(principal, request.body.currentPassword, request.body.newPassword, {
      address: request.ip,
      sessionToken: request.cookies[cookieName],
    });
    await request.audit({ action: 'auth.password.change', entity: { type: 'user', id: principal.userId } });
    return reply.status(204).send();
  });

  app.post<{ Body: { email: string } }>(ROUTES.forgotPassword, {
    schema: {
      tags: ['auth'],
      summary: 'Forgot password: e-mails a single-use, time-limited reset link to an active account',
      description: 'Answers 202 with the same message whether or not an account uses the address.',
      body: {
        type: 'object',
        required: ['email'],
        additionalProperties: false,
        properties: { email: { type: 'string', minLength: 3, maxLength: 254 } },
      },
      response: { 202: { type: 'object', properties: { message: { type: 'string' } } } },
    },
  }, async (request, reply) => {
    const email = normaliseEmail(request.body.email);
    credentials.requestReset(email, { address: request.ip, onError: logError(request) });
    await request.audit({ action: 'auth.password.forgot', details: { email } });
    return reply.status(202).send({ message: FORGOT_PASSWORD_ANSWER });
  });

  app.post<{ Body: { token: string; newPassword: string } }>(ROUTES.resetPassword, {
    schema: {
      tags: ['auth'],
      summary: 'Choose a new password with the token of a reset link; unlocks the account and ends its sessions',
      body: {
        type: 'object',
        required: ['token', 'newPassword'],
        additionalProperties: false,
        properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, newPassword: passwordField },
      },
      response: { 204: { type: 'null' } },
    },
  }, async (request, reply) => {
    const userId = await credentials.resetPassword(request.body.token, request.body.newPassword, { address: request.ip });
    await request.audit({ action: 'auth.password.reset', entity: { type: 'user', id: userId } });
    return reply.status(204).send();
  });
}
