/**
 * Single sign-on routes: where the sign-in page learns the SSO button's label, the start of a
 * sign-in (a redirect to the provider) and the provider's callback, which opens the same
 * session a password sign-in opens. Every refusal is a 4xx JSON answer; a provider that
 * cannot be reached is a 502.
 *
 * The transient sign-in cookie is SameSite=Lax (the session cookie is Strict, and a Strict
 * cookie is not sent on the provider's cross-site redirect back), limited to these routes
 * and cleared by the callback whatever its outcome.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { localReturnPath, LOGIN_MINUTES, OIDC_CALLBACK_PATH, OidcProviderUnavailableError, OidcRefusedError, type OidcLogin } from '../../auth/oidc.js';
import { principalOf } from '../../auth/users.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import type { EngineServices } from '../../services.js';

const BASE = '/api/auth/oidc';
const LOGIN = `${BASE}/login`;

const redirectSchema = { type: 'null', description: 'Redirect (Location header)' } as const;
const providerParam = { type: 'string', maxLength: 4096 } as const;

export async function oidcRoutes(app: FastifyInstance, services: EngineServices): Promise<void> {
  const { sessions, config } = services;
  const sessionCookie = config.sessions.cookieName;
  const loginCookie = `${sessionCookie}_oidc`;

  /** Read per request, so a server can be given its SSO settings after it started (tests do). */
  const sso = (): OidcLogin => {
    if (!services.oidc) throw new NotFoundError('Single sign-on is not configured on this server. Please sign in with your e-mail address and password.');
    return services.oidc;
  };

  const unavailable = (reply: FastifyReply, error: OidcProviderUnavailableError) => {
    reply.log.warn({ err: error.cause ?? error }, 'single sign-on provider unavailable');
    return reply.status(502).send({ error: 'Bad Gateway', message: error.message, errors: [] });
  };

  app.get(BASE, {
    schema: {
      tags: ['auth'],
      summary: 'Whether single sign-on is offered, and the label of its button',
      description: 'Answers 404 when single sign-on is not configured.',
      security: [],
      response: { 200: { type: 'object', properties: { label: { type: 'string' }, loginUrl: { type: 'string' } } } },
    },
  }, async () => ({ label: sso().label, loginUrl: LOGIN }));

  app.get<{ Querystring: { returnTo?: string } }>(LOGIN, {
    schema: {
      tags: ['auth'],
      summary: 'Start signing in with single sign-on: redirects to the provider (authorization code flow with PKCE)',
      description: `After signing in at the provider the browser comes back to ${OIDC_CALLBACK_PATH}, which opens a session and redirects to \`returnTo\` (a path on this server; default /). The sign-in must finish within ${LOGIN_MINUTES} minutes, in the same browser.`,
      security: [],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { returnTo: { type: 'string', minLength: 1, maxLength: 512, description: 'A local path such as /cases/123' } },
      },
      response: { 302: redirectSchema },
    },
  }, async (request, reply) => {
    const login = sso();
    const returnTo = request.query.returnTo === undefined ? '/' : localReturnPath(request.query.returnTo);
    if (returnTo === null) {
      throw new BadRequestError('returnTo must be a path on this server, such as /cases.', [{ path: '/querystring/returnTo', message: 'must be a local path starting with a single /' }]);
    }
    try {
      const started = await login.begin(returnTo);
      reply.setCookie(loginCookie, started.loginId, {
        path: BASE,
        httpOnly: true,
        sameSite: 'lax',
        secure: config.sessions.secureCookies,
        maxAge: LOGIN_MINUTES * 60,
      });
      reply.header('cache-control', 'no-store');
      return reply.redirect(started.authorizationUrl.href, 302);
    } catch (error) {
      if (error instanceof OidcProviderUnavailableError) return unavailable(reply, error);
      throw error;
    }
  });

  app.get(OIDC_CALLBACK_PATH, {
    schema: {
      tags: ['auth'],
      summary: 'Where the single sign-on provider sends the browser back; opens a session and redirects',
      description: 'The provider\'s e-mail address must belong to an active, unlocked account (none is created). A sign-in not started in this browser, a foreign `state`, a refused or cancelled sign-in at the provider, an unknown e-mail address answer 400 or 401 and open no session.',
      security: [],
      querystring: {
        type: 'object',
        // Providers add parameters of their own (session_state, …): they are allowed and ignored.
        additionalProperties: true,
        properties: {
          code: providerParam,
          state: providerParam,
          iss: providerParam,
          error: providerParam,
          error_description: providerParam,
          error_uri: providerParam,
        },
      },
      response: { 302: redirectSchema },
    },
  }, async (request, reply) => {
    const login = sso();
    reply.header('cache-control', 'no-store');
    // Whatever happens next, this sign-in attempt is over.
    reply.clearCookie(loginCookie, { path: BASE });
    const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    let completed;
    try {
      completed = await login.complete(request.cookies[loginCookie], new URLSearchParams(rawQuery));
    } catch (error) {
      if (error instanceof OidcProviderUnavailableError) return unavailable(reply, error);
      if (error instanceof OidcRefusedError) {
        await request.audit({
          action: 'auth.login',
          outcome: 'failed',
          details: { method: 'oidc', reason: error.reason, ...(error.email ? { email: error.email } : {}) },
        });
      }
      throw error;
    }
    const { user, returnTo } = completed;
    // A new sign-in replaces whatever session this browser had.
    const previous = request.cookies[sessionCookie];
    if (previous) await sessions.close(previous);
    const opened = await sessions.open(user._id);
    request.principal = principalOf(user);
    await request.audit({ action: 'auth.login', entity: { type: 'user', id: user._id }, details: { method: 'oidc' } });
    reply.setCookie(sessionCookie, opened.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.sessions.secureCookies,
      maxAge: config.sessions.absoluteHours * 3600,
    });
    return reply.redirect(returnTo, 302);
  });
}
