/**
 * The shapes of account administration as its API takes and returns them: what the engine
 * (auth/accounts.ts) works with and what the admin screens read. No dependencies, so the
 * browser app can import these types too.
 */
/** Who an account belongs to and what they may do: what every shape of an account holds. */
export interface AccountIdentity {
  email: string;
  firstName: string;
  lastName: string;
  phone?: string;
  roles: string[];
}

/** An account as administrators see it: never a password hash. */
export interface AccountView extends AccountIdentity {
  id: string;
  attributes: Record<string, unknown>;
  active: boolean;
  locked: boolean;
  lockedAt?: Date;
  mustChangePassword: boolean;
  passwordChangedAt?: Date;
  lastLoginAt?: Date;
  createdAt: Date;
}

export interface AccountSearch {
  /** Part of the e-mail, first or last name (any case). */
  q?: string;
  role?: string;
  active?: boolean;
  locked?: boolean;
  skip?: number;
  limit?: number;
}

export interface NewAccount extends AccountIdentity {
  attributes?: Record<string, unknown>;
}

export interface AccountChanges {
  firstName?: string;
  lastName?: string;
  /** An empty text removes the number. */
  phone?: string;
  roles?: string[];
  attributes?: Record<string, unknown>;
  active?: boolean;
}

/** How a system-generated password reaches its user: shown once to the admin, or e-mailed. */
export type PasswordDelivery = 'show' | 'email';

export interface PasswordHandout {
  account: AccountView;
  /** Present only when delivered by 'show'. */
  temporaryPassword?: string;
  emailed: boolean;
}
