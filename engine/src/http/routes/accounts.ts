/**
 * The account administration API (the admin screens): search, add, edit, deactivate,
 * unlock and reset passwords. Which accounts a caller may see and manage, and which roles
 * they may give, come from the account administration rules in the configuration.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountChanges, AccountSearch, AccountView, NewAccount, PasswordDelivery } from '../../auth/account-api.js';
import { diffFields } from '../../audit/audit-log.js';
import { administrationOf } from '../../auth/admin-scope.js';
import { ForbiddenError } from '../../errors.js';
import type { EngineServices } from '../../services.js';
import { callerOf } from '../auth-plugin.js';
import { idParam } from '../schemas.js';

const nameField = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;
const phoneField = { type: 'string', maxLength: 40, pattern: '^[0-9+()., x#-]*$' } as const;
const rolesField = { type: 'array', minItems: 1, maxItems: 20, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } } as const;
/** Values are checked by the service (text, number, true/false, or a list of texts), naming each bad one. */
const attributesField = {
  type: 'object',
  maxProperties: 50,
  propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' },
  additionalProperties: true,
} as const;
const deliveryField = {
  type: 'string',
  enum: ['show', 'email'],
  default: 'show',
  description: '"show": the generated password is in this answer, once. "email": it (or for a reset, a reset link) is e-mailed to the account.',
} as const;

const accountSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    phone: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    attributes: { type: 'object', additionalProperties: true },
    active: { type: 'boolean' },
    locked: { type: 'boolean' },
    lockedAt: { type: 'string', format: 'date-time' },
    mustChangePassword: { type: 'boolean' },
    passwordChangedAt: { type: 'string', format: 'date-time' },
    lastLoginAt: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const handoutSchema = {
  type: 'object',
  properties: {
    account: accountSchema,
    temporaryPassword: { type: 'string', description: 'Only with delivery "show"; shown this once and never again.' },
    emailed: { type: 'boolean' },
  },
} as const;

/** What an audit record keeps of an account's change: the fields an administrator edits. */
function audited(view: AccountView) {
  const { firstName, lastName, phone, roles, attributes, active } = view;
  return { firstName, lastName, phone, roles, attributes, active };
}

export async function accountRoutes(app: FastifyInstance, { accounts, config }: EngineServices): Promise<void> {
  app.addHook('preHandler', app.authenticated);

  app.get('/api/users/administration', {
    schema: {
      tags: ['accounts'],
      summary: 'What you may do with user accounts: the roles you may give, attributes fixed for you, the further fields you fill in',
      response: {
        200: {
          type: 'object',
          properties: {
            roles: { anyOf: [{ type: 'string', enum: ['*'] }, { type: 'array', items: { type: 'string' } }] },
            fixedAttributes: { type: 'object', additionalProperties: true },
            fields: {
              type: 'array',
              items: { type: 'object', properties: { attribute: { type: 'string' }, title: { type: 'string' }, lookup: { type: 'string' }, multiple: { type: 'boolean' } } },
            },
          },
        },
      },
    },
  }, async (request) => {
    const view = administrationOf(callerOf(request), config.auth.administration);
    if (!view) throw new ForbiddenError('Your role does not include managing user accounts.');
    return view;
  });

  app.get<{ Querystring: AccountSearch }>('/api/users', {
    schema: {
      tags: ['accounts'],
      summary: 'Search the user accounts you administer (by last name, first name, e-mail)',
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          q: { type: 'string', maxLength: 100, description: 'Part of the e-mail, first or last name' },
          role: { type: 'string', minLength: 1, maxLength: 64 },
          active: { type: 'boolean' },
          locked: { type: 'boolean' },
          skip: { type: 'integer', minimum: 0, maximum: 1_000_000 },
          limit: { type: 'integer', minimum: 1, maximum: 500 },
        },
      },
      response: { 200: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: accountSchema } } } },
    },
  }, async (request) => accounts.search(callerOf(request), request.query));

  app.get<{ Params: { id: string } }>('/api/users/:id', {
    schema: { tags: ['accounts'], summary: 'One user account you administer', params: idParam, response: { 200: accountSchema } },
  }, async (request) => accounts.get(callerOf(request), request.params.id));

  app.post<{ Body: NewAccount & { delivery: PasswordDelivery } }>('/api/users', {
    schema: {
      tags: ['accounts'],
      summary: 'Add a user account with a system-generated password its user must change at first sign-in',
      description: 'Attributes your administration rule fixes (e.g. your own organisation) are filled in when left out.',
      body: {
        type: 'object',
        required: ['email', 'firstName', 'lastName', 'roles'],
        additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 254 },
          firstName: nameField,
          lastName: nameField,
          phone: phoneField,
          roles: rolesField,
          attributes: attributesField,
          delivery: deliveryField,
        },
      },
      response: { 201: handoutSchema },
    },
  }, async (request, reply) => {
    const { delivery, ...input } = request.body;
    const handout = await accounts.create(callerOf(request), input, delivery);
    await request.audit({
      action: 'account.create',
      entity: { type: 'user', id: handout.account.id },
      changes: diffFields({}, { email: handout.account.email, ...audited(handout.account) }),
      details: { delivery },
    });
    return reply.status(201).send(handout);
  });

  app.put<{ Params: { id: string }; Body: AccountChanges }>('/api/users/:id', {
    schema: {
      tags: ['accounts'],
      summary: 'Edit a user account: names, phone (empty text removes it), roles, attributes (replaced as a whole), active',
      params: idParam,
      body: {
        type: 'object',
        minProperties: 1,
        additionalProperties: false,
        properties: { firstName: nameField, lastName: nameField, phone: phoneField, roles: rolesField, attributes: attributesField, active: { type: 'boolean' } },
      },
      response: { 200: accountSchema },
    },
  }, async (request) => {
    const { before, after } = await accounts.update(callerOf(request), request.params.id, request.body);
    await request.audit({ action: 'account.update', entity: { type: 'user', id: after.id }, changes: diffFields(audited(before), audited(after)) });
    return after;
  });

  app.post<{ Params: { id: string } }>('/api/users/:id/deactivate', {
    schema: { tags: ['accounts'], summary: 'Deactivate a user account (it is kept, never deleted); ends its sessions', params: idParam, response: { 200: accountSchema } },
  }, async (request) => {
    const account = await accounts.deactivate(callerOf(request), request.params.id);
    await request.audit({ action: 'account.deactivate', entity: { type: 'user', id: account.id } });
    return account;
  });

  app.post<{ Params: { id: string } }>('/api/users/:id/unlock', {
    schema: { tags: ['accounts'], summary: 'Unlock a user account locked after failed sign-ins', params: idParam, response: { 200: accountSchema } },
  }, async (request) => {
    const account = await accounts.unlock(callerOf(request), request.params.id);
    await request.audit({ action: 'account.unlock', entity: { type: 'user', id: account.id } });
    return account;
  });

  app.post<{ Params: { id: string }; Body: { delivery: PasswordDelivery } }>('/api/users/:id/reset-password', {
    schema: {
      tags: ['accounts'],
      summary: 'Reset the password of a user account: a new generated one (shown once; unlocks the account) or an e-mailed reset link',
      params: idParam,
      body: { type: 'object', additionalProperties: false, properties: { delivery: deliveryField } },
      response: { 200: handoutSchema },
    },
  }, async (request) => {
    const handout = await accounts.resetPassword(callerOf(request), request.params.id, request.body.delivery);
    await request.audit({ action: 'account.password.reset', entity: { type: 'user', id: handout.account.id }, details: { delivery: request.body.delivery } });
    return handout;
  });
}
