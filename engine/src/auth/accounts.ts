/**
 * Account administration: search, add, edit, deactivate (never delete), unlock and reset
 * passwords, each limited to the accounts the administrator's rules cover (admin-scope.ts).
 */
import type { Clock } from '../clock.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, type FieldError } from '../errors.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Filter } from '../store/types.js';
import { managedAccountsFilter, managementProblems, withRequiredAttributes, type AccountAdminRule } from './admin-scope.js';
import { MailNotSentError, type Credentials } from './credentials.js';
import type { Principal } from './principal.js';
import type { SessionStore } from './sessions.js';
import type { UserDirectory, UserRecord } from './users.js';
import type { AccountChanges, AccountSearch, AccountView, NewAccount, PasswordDelivery, PasswordHandout } from './account-api.js';

export function accountView(user: UserRecord): AccountView {
  return {
    id: user._id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    ...(user.phone ? { phone: user.phone } : {}),
    roles: [...user.roles],
    attributes: { ...user.attributes },
    active: user.active,
    locked: user.locked,
    ...(user.lockedAt ? { lockedAt: user.lockedAt } : {}),
    mustChangePassword: !!user.mustChangePassword,
    ...(user.passwordChangedAt ? { passwordChangedAt: user.passwordChangedAt } : {}),
    ...(user.lastLoginAt ? { lastLoginAt: user.lastLoginAt } : {}),
    createdAt: user.createdAt,
  };
}

const MAX_ATTRIBUTE_TEXT = 200;
const MAX_ATTRIBUTE_LIST = 50;

/** Attribute values are a text, a number, true/false, or a list of texts; each bad one is named. */
export function attributeProblems(attributes: Record<string, unknown>): FieldError[] {
  const isText = (v: unknown) => typeof v === 'string' && v.length <= MAX_ATTRIBUTE_TEXT;
  return Object.entries(attributes).flatMap(([name, value]) => {
    const ok = isText(value) || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
      || (Array.isArray(value) && value.length <= MAX_ATTRIBUTE_LIST && value.every(isText));
    return ok ? [] : [{
      path: `/attributes/${name}`,
      message: `must be a text (up to ${MAX_ATTRIBUTE_TEXT} characters), a number, true/false, or a list of up to ${MAX_ATTRIBUTE_LIST} texts`,
    }];
  });
}

function checkAttributes(attributes: Record<string, unknown> | undefined): void {
  const problems = attributes ? attributeProblems(attributes) : [];
  if (problems.length > 0) throw new BadRequestError('Some attributes are not valid.', problems);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface AccountAdministrationDeps {
  users: UserDirectory;
  sessions: SessionStore;
  credentials: Credentials;
  clock: Clock;
  rules: readonly AccountAdminRule[];
}

export class AccountAdministration {
  constructor(private readonly deps: AccountAdministrationDeps) {}

  /** The store filter of the accounts `admin` manages; refuses callers who manage none. */
  private scopeOf(admin: Principal): Filter {
    const filter = managedAccountsFilter(admin, this.deps.rules);
    if (!filter) throw new ForbiddenError('Your role does not include managing user accounts.');
    return filter;
  }

  /** The account, if `admin` manages it: 404 when there is none, 403 when it is outside the admin's accounts. */
  private async managed(admin: Principal, id: string): Promise<{ user: UserRecord; scope: Filter }> {
    const scope = this.scopeOf(admin);
    const user = await this.deps.users.users.findOne({ $and: [{ _id: id }, scope] });
    if (user) return { user, scope };
    if (await this.deps.users.users.findOne({ _id: id }, { projection: { _id: 1 } })) {
      throw new ForbiddenError('You may not manage this user account.');
    }
    throw new NotFoundError('There is no user account with this id.');
  }

  private refuseSelf(admin: Principal, user: UserRecord, what: string): void {
    if (admin.userId === user._id) throw new ForbiddenError(`You cannot ${what} your own account; ask another administrator.`);
  }

  /** Searches within the admin's accounts; the scope is part of the store query. */
  async search(admin: Principal, query: AccountSearch): Promise<{ total: number; items: AccountView[] }> {
    const criteria: Filter[] = [this.scopeOf(admin)];
    const q = query.q?.trim();
    if (q) {
      const pattern = { $regex: escapeRegex(q), $options: 'i' };
      criteria.push({ $or: [{ email: pattern }, { firstName: pattern }, { lastName: pattern }] });
    }
    if (query.role) criteria.push({ roles: query.role });
    if (query.active !== undefined) criteria.push({ active: query.active });
    if (query.locked !== undefined) criteria.push({ locked: query.locked });
    const filter = { $and: criteria };
    const { users } = this.deps.users;
    const [found, total] = await Promise.all([
      users.find(filter, { sort: { lastName: 1, firstName: 1, email: 1 }, skip: query.skip ?? 0, limit: query.limit ?? 50 }),
      users.countDocuments(filter),
    ]);
    return { total, items: found.map(accountView) };
  }

  async get(admin: Principal, id: string): Promise<AccountView> {
    return accountView((await this.managed(admin, id)).user);
  }

  /** Adds an account with a random password its user must change at first sign-in. */
  async create(admin: Principal, input: NewAccount, delivery: PasswordDelivery): Promise<PasswordHandout> {
    this.scopeOf(admin);
    checkAttributes(input.attributes);
    const { rules, users, credentials, clock } = this.deps;
    const attributes = withRequiredAttributes(admin, { roles: input.roles, attributes: input.attributes ?? {} }, rules);
    const problems = managementProblems(admin, { roles: input.roles, attributes }, rules);
    if (problems.length > 0) throw new ForbiddenError('You may not create an account with these roles or attributes.', problems);
    const temporaryPassword = credentials.newAccountPassword(input.email);
    let user: UserRecord;
    try {
      user = await users.create({ ...input, attributes, password: temporaryPassword, mustChangePassword: true }, clock.now());
    } catch (error) {
      if (error instanceof DuplicateKeyError) {
        throw new ConflictError('An account with this e-mail address already exists.', [{ path: '/email', message: 'is already in use' }]);
      }
      throw error;
    }
    if (delivery === 'show') return { account: accountView(user), temporaryPassword, emailed: false };
    try {
      await credentials.sendWelcome(user, temporaryPassword);
    } catch {
      throw new MailNotSentError('The account was created, but the e-mail with its password could not be sent. Reset its password to try again.');
    }
    return { account: accountView(user), emailed: true };
  }

  /** Edits names, phone, roles, attributes or the active flag; the result must stay within the admin's accounts. */
  async update(admin: Principal, id: string, changes: AccountChanges): Promise<{ before: AccountView; after: AccountView }> {
    checkAttributes(changes.attributes);
    const { user, scope } = await this.managed(admin, id);
    if (changes.roles !== undefined || changes.active !== undefined) {
      const sameRoles = changes.roles === undefined || JSON.stringify(changes.roles) === JSON.stringify(user.roles);
      if (!sameRoles || (changes.active !== undefined && changes.active !== user.active)) this.refuseSelf(admin, user, 'change the roles or the active status of');
    }
    const roles = changes.roles ?? user.roles;
    const attributes = changes.attributes === undefined ? user.attributes : withRequiredAttributes(admin, { roles, attributes: changes.attributes }, this.deps.rules);
    const problems = managementProblems(admin, { roles, attributes }, this.deps.rules);
    if (problems.length > 0) throw new ForbiddenError('You may not give the account these roles or attributes.', problems);

    const set: Record<string, unknown> = { roles, attributes };
    for (const key of ['firstName', 'lastName', 'active'] as const) if (changes[key] !== undefined) set[key] = changes[key];
    const unset: Record<string, ''> = {};
    if (changes.phone !== undefined) {
      if (changes.phone === '') unset.phone = '';
      else set.phone = changes.phone;
    }
    // The scope is part of the write too, so a concurrent change cannot slip the account out from under the check.
    const updated = await this.deps.users.users.findOneAndUpdate(
      { $and: [{ _id: id }, scope] },
      { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) },
      { returnDocument: 'after' },
    );
    if (!updated) throw new ConflictError('The account changed meanwhile; reload it and try again.');
    if (!updated.active) await this.deps.sessions.closeAllFor(id);
    return { before: accountView(user), after: accountView(updated) };
  }

  /** Deactivates the account (it stays, with its history) and ends its sessions. */
  async deactivate(admin: Principal, id: string): Promise<AccountView> {
    const { user, scope } = await this.managed(admin, id);
    this.refuseSelf(admin, user, 'deactivate');
    const updated = await this.deps.users.users.findOneAndUpdate({ $and: [{ _id: id }, scope] }, { $set: { active: false } }, { returnDocument: 'after' });
    if (!updated) throw new ConflictError('The account changed meanwhile; reload it and try again.');
    await this.deps.sessions.closeAllFor(id);
    return accountView(updated);
  }

  async unlock(admin: Principal, id: string): Promise<AccountView> {
    const { user } = await this.managed(admin, id);
    const updated = await this.deps.users.unlock(user._id);
    if (!updated) throw new ConflictError('The account changed meanwhile; reload it and try again.');
    return accountView(updated);
  }

  /**
   * 'show': a new random password (returned once; it also unlocks the account) the user must
   * change at the next sign-in. 'email': a reset link to the account's address.
   */
  async resetPassword(admin: Principal, id: string, delivery: PasswordDelivery): Promise<PasswordHandout> {
    const { user } = await this.managed(admin, id);
    this.refuseSelf(admin, user, 'reset the password of');
    const { credentials, users } = this.deps;
    if (delivery === 'email') {
      try {
        await credentials.sendResetLink(user);
      } catch {
        throw new MailNotSentError('The e-mail with the reset link could not be sent. Try again later, or show a new password instead.');
      }
      return { account: accountView(user), emailed: true };
    }
    const temporaryPassword = await credentials.setGeneratedPassword(user);
    const updated = (await users.byId(id)) ?? user;
    return { account: accountView(updated), temporaryPassword, emailed: false };
  }
}
