/** User accounts as stored; the login e-mail is the unique, case-insensitive account name. */
import type { Collection, Store } from '../store/types.js';
import type { Principal } from './principal.js';
import { hashPassword } from './passwords.js';

export interface UserRecord {
  _id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone?: string;
  roles: string[];
  attributes: Record<string, unknown>;
  active: boolean;
  locked: boolean;
  passwordHash?: string;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  firstName: string;
  lastName: string;
  phone?: string;
  roles: string[];
  attributes?: Record<string, unknown>;
  password?: string;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function principalOf(user: UserRecord): Principal {
  return {
    userId: user._id,
    email: user.email,
    name: `${user.firstName} ${user.lastName}`.trim(),
    roles: [...user.roles],
    attributes: { ...user.attributes },
  };
}

export class UserDirectory {
  readonly users: Collection<UserRecord>;

  constructor(store: Store) {
    this.users = store.collection<UserRecord>('users');
  }

  async init(): Promise<void> {
    await this.users.createIndex({ key: { email: 1 }, unique: true });
  }

  byEmail(email: string): Promise<UserRecord | null> {
    return this.users.findOne({ email: normaliseEmail(email) });
  }

  byId(id: string): Promise<UserRecord | null> {
    return this.users.findOne({ _id: id });
  }

  async create(user: NewUser, now: Date): Promise<UserRecord> {
    const record = {
      email: normaliseEmail(user.email),
      firstName: user.firstName,
      lastName: user.lastName,
      ...(user.phone ? { phone: user.phone } : {}),
      roles: user.roles,
      attributes: user.attributes ?? {},
      active: true,
      locked: false,
      ...(user.password ? { passwordHash: await hashPassword(user.password) } : {}),
      createdAt: now,
    };
    const { insertedId } = await this.users.insertOne(record as UserRecord);
    return { ...record, _id: insertedId } as UserRecord;
  }
}
