/**
 * The password authenticator: e-mail and password against the user directory, with a lock
 * after too many failures. Every refusal is the same answer and costs the same time, so a
 * caller cannot tell whether an account exists, is locked or is inactive.
 */
import type { Clock } from '../clock.js';
import { UnauthorizedError } from '../errors.js';
import { decoyPasswordHash, verifyPassword } from './passwords.js';
import { principalOf, type UserDirectory } from './users.js';
import type { Principal } from './principal.js';

export const LOGIN_REFUSAL = 'The e-mail or password is not correct, or the account is locked or not active.';

export interface LoginOptions {
  clock: Clock;
  /** Failed logins in a row that lock the account; 0 never locks. */
  maxFailedLogins: number;
  /**
   * Runs the failure bookkeeping (a store write) after the answer, so answering does not take
   * longer for an account that exists. Receives the work; must catch and log its errors.
   */
  later: (work: () => Promise<void>) => void;
  /** Waits for bookkeeping still running for this account (before a success is decided). */
  settled: () => Promise<void>;
  /** Told when a failure locked the account. */
  onLocked?: (userId: string) => void;
}

export async function loginWithPassword(users: UserDirectory, email: string, password: string, options: LoginOptions): Promise<Principal> {
  const user = await users.byEmail(email);
  // Always run one scrypt check so the answer takes as long whether or not the account exists.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !user.passwordHash) throw new UnauthorizedError(LOGIN_REFUSAL);
  if (!ok) {
    if (user.active && !user.locked) {
      const now = options.clock.now();
      options.later(async () => {
        if (await users.recordFailedLogin(user._id, options.maxFailedLogins, now)) options.onLocked?.(user._id);
      });
    }
    throw new UnauthorizedError(LOGIN_REFUSAL);
  }
  // Read again once earlier failures are counted: one of them may have locked the account meanwhile.
  await options.settled();
  const current = await users.byId(user._id);
  if (!current || !current.active || current.locked) throw new UnauthorizedError(LOGIN_REFUSAL);
  await users.recordLogin(current._id, options.clock.now());
  return principalOf(current);
}
