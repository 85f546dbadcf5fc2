/**
 * Establishes the caller of every request from the session cookie, and serves login,
 * logout and "who am I". Routes that need a caller use `app.authenticated`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginWithPassword } from '../auth/password-login.js';
import { principalOf } from '../auth/users.js';
import type { Principal } from '../auth/principal.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { EngineServices } from '../services.js';
import { principalSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** preHandler: refuses requests without a signed-in caller. */
    authenticated: (request: FastifyRequest) => Promise<void>;
  }
}

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

export async function authPlugin(app: FastifyInstance, services: EngineServices): Promise<void> {
  const { sessions, users, config } = services;
  const cookieName = config.sessions.cookieName;

  app.decorateRequest('principal', null);
  app.decorate('authenticated', async (request: FastifyRequest) => {
    callerOf(request);
  });

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[cookieName];
    if (!token) return;
    const userId = await sessions.resolve(token);
    if (!userId) return;
    const user = await users.byId(userId);
    if (user && user.active && !user.locked) request.principal = principalOf(user);
  });

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(cookieName, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.sessions.secureCookies,
      maxAge: config.sessions.absoluteHours * 3600,
    });

  app.post<{ Body: { email: string; password: string } }>('/api/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with e-mail and password; sets the session cookie',
      body: {
        type: 'object',
        required: ['email', 'password'],
        additionalProperties: false,
        properties: { email: { type: 'string', minLength: 3, maxLength: 254 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
      },
      response: { 200: principalSchema },
    },
  }, async (request, reply) => {
    const principal = await loginWithPassword(users, request.body.email, request.body.password);
    setSessionCookie(reply, await sessions.open(principal.userId));
    return principal;
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign out: ends the session', response: { 204: { type: 'null' } } },
  }, async (request, reply) => {
    const token = request.cookies[cookieName];
    if (token) await sessions.close(token);
    reply.clearCookie(cookieName, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', {
    preHandler: app.authenticated,
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: principalSchema } },
  }, async (request) => callerOf(request));
}
