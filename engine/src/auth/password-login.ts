/** The password authenticator: e-mail and password against the user directory. */
import { UnauthorizedError } from '../errors.js';
import { decoyPasswordHash, verifyPassword } from './passwords.js';
import { principalOf, type UserDirectory } from './users.js';
import type { Principal } from './principal.js';

const REFUSAL = 'The e-mail or password is not correct, or the account is not active.';

export async function loginWithPassword(users: UserDirectory, email: string, password: string): Promise<Principal> {
  const user = await users.byEmail(email);
  // Always run one scrypt check so the answer takes as long whether or not the account exists.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !ok || !user.passwordHash || !user.active || user.locked) throw new UnauthorizedError(REFUSAL);
  return principalOf(user);
}
