/** User accounts as stored; the login e-mail is the unique, case-insensitive account name. */
import type { Collection, Store } from '../store/types.js';
import type { AccountIdentity, NewAccount } from './account-api.js';
import type { Principal } from './principal.js';
import { hashPassword } from './passwords.js';

export interface UserRecord extends AccountIdentity {
  _id: string;
  attributes: Record<string, unknown>;
  /** Inactive accounts cannot sign in; accounts are deactivated, never deleted. */
  active: boolean;
  /** Locked after too many failed logins, until an administrator unlocks it (or a reset link is used). */
  locked: boolean;
  lockedAt?: Date;
  failedLogins?: number;
  passwordHash?: string;
  /** Hashes of the most recent passwords, newest (the current one) first. */
  passwordHistory?: string[];
  passwordChangedAt?: Date;
  /** Set for a system-generated password: the user must choose their own before anything else. */
  mustChangePassword?: boolean;
  lastLoginAt?: Date;
  createdAt: Date;
}

export interface NewUser extends NewAccount {
  password?: string;
  /** Defaults to false (e.g. demo users keep their known password). */
  mustChangePassword?: boolean;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The name people see for a user (signatures, "completed by", audit). */
export function displayName(user: Pick<UserRecord, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim();
}

export function principalOf(user: UserRecord): Principal {
  return {
    userId: user._id,
    email: user.email,
    name: displayName(user),
    roles: [...user.roles],
    attributes: { ...user.attributes },
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
  };
}

/** The password hashes a new password may not repeat, newest first (older records keep only the current one). */
export function passwordHistoryOf(user: UserRecord): string[] {
  return user.passwordHistory ?? (user.passwordHash ? [user.passwordHash] : []);
}

export class UserDirectory {
  readonly users: Collection<UserRecord>;

  constructor(store: Store) {
    this.users = store.collection<UserRecord>('users');
  }

  async init(): Promise<void> {
    await this.users.createIndex({ key: { email: 1 }, unique: true });
    await this.users.createIndex({ key: { roles: 1 } });
  }

  byEmail(email: string): Promise<UserRecord | null> {
    return this.users.findOne({ email: normaliseEmail(email) });
  }

  byId(id: string): Promise<UserRecord | null> {
    return this.users.findOne({ _id: id });
  }

  async create(user: NewUser, now: Date): Promise<UserRecord> {
    const passwordHash = user.password ? await hashPassword(user.password) : undefined;
    const record = {
      email: normaliseEmail(user.email),
      firstName: user.firstName,
      lastName: user.lastName,
      ...(user.phone ? { phone: user.phone } : {}),
      roles: user.roles,
      attributes: user.attributes ?? {},
      active: true,
      locked: false,
      failedLogins: 0,
      ...(passwordHash ? { passwordHash, passwordHistory: [passwordHash], passwordChangedAt: now } : {}),
      mustChangePassword: user.mustChangePassword ?? false,
      createdAt: now,
    };
    const { insertedId } = await this.users.insertOne(record as UserRecord);
    return { ...record, _id: insertedId } as UserRecord;
  }

  /**
   * Sets a new password (already hashed), keeping the last `historySize` hashes. A password
   * someone else chose (`mustChange`) has to be changed at the next sign-in. Clears any lock.
   */
  async setPassword(user: UserRecord, hash: string, options: { historySize: number; mustChange: boolean; now: Date }): Promise<UserRecord | null> {
    const history = [hash, ...passwordHistoryOf(user)].slice(0, Math.max(1, options.historySize));
    return this.users.findOneAndUpdate(
      { _id: user._id },
      {
        $set: { passwordHash: hash, passwordHistory: history, passwordChangedAt: options.now, mustChangePassword: options.mustChange, locked: false, failedLogins: 0 },
        $unset: { lockedAt: '' },
      },
      { returnDocument: 'after' },
    );
  }

  /** Counts a failed login; locks the account when the count reaches `maxFailures`. Returns whether it locked it now. */
  async recordFailedLogin(id: string, maxFailures: number, now: Date): Promise<boolean> {
    const after = await this.users.findOneAndUpdate({ _id: id, locked: false }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' });
    if (!after || maxFailures <= 0 || (after.failedLogins ?? 0) < maxFailures) return false;
    const { modifiedCount } = await this.users.updateOne({ _id: id, locked: false }, { $set: { locked: true, lockedAt: now } });
    return modifiedCount === 1;
  }

  async recordLogin(id: string, now: Date): Promise<void> {
    await this.users.updateOne({ _id: id }, { $set: { failedLogins: 0, lastLoginAt: now } });
  }

  async unlock(id: string): Promise<UserRecord | null> {
    return this.users.findOneAndUpdate({ _id: id }, { $set: { locked: false, failedLogins: 0 }, $unset: { lockedAt: '' } }, { returnDocument: 'after' });
  }
}
