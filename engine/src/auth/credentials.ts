/**
 * Everything about a user's password: signing in (with lockout and rate limits), changing
 * it, "forgot password" links by e-mail, and the random passwords administrators hand out.
 */
import type { Clock } from '../clock.js';
import type { AuthConfig } from '../config.js';
import { EngineError, UnauthorizedError, ValidationError } from '../errors.js';
import type { Store } from '../store/types.js';
import type { Mailer } from './mailer.js';
import { loginWithPassword } from './password-login.js';
import { generatePassword, passwordProblems } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { RequestLimits } from './rate-limiter.js';
import { ResetTokens } from './reset-tokens.js';
import type { SessionStore } from './sessions.js';
import { normaliseEmail, passwordHistoryOf, type UserDirectory, type UserRecord } from './users.js';

export interface CredentialsDeps {
  store: Store;
  users: UserDirectory;
  sessions: SessionStore;
  mailer: Mailer;
  clock: Clock;
  auth: AuthConfig;
  publicUrl: string;
}

/** Where background work reports a failure (the request's logger). */
export type ErrorSink = (error: unknown) => void;

/** The e-mail could not be handed to the mail server; whatever else was asked for is done. */
export class MailNotSentError extends EngineError {
  override name = 'MailNotSentError';
  override readonly status = 502;
}

export const FORGOT_PASSWORD_ANSWER = 'If an active account uses this e-mail address, a link to choose a new password is on its way. Check your inbox.';

const INVALID_LINK = 'This password reset link is not valid: it may have expired or been used already. Ask for a new one with "Forgot your password?".';

function policyError(problems: string[]): ValidationError {
  return new ValidationError('The new password does not meet the password rules.', problems.map((message) => ({ path: '/newPassword', message })));
}

export class Credentials {
  /** Login failures (and wrong current passwords), per client address and per account. */
  readonly loginLimits: RequestLimits;
  /** Forgot-password and reset requests, per client address (and per account for forgot). */
  readonly recoveryLimits: RequestLimits;
  private readonly resetTokens: ResetTokens;
  /** Work running after its request was answered, by the account it concerns. */
  private readonly pending = new Map<Promise<void>, string>();

  constructor(private readonly deps: CredentialsDeps) {
    const { windowSeconds, perAddress, perAccount } = deps.auth.rateLimits;
    const rates = { perAddress: { limit: perAddress, windowSeconds }, perAccount: { limit: perAccount, windowSeconds } };
    this.loginLimits = new RequestLimits(rates, deps.clock);
    this.recoveryLimits = new RequestLimits(rates, deps.clock);
    this.resetTokens = new ResetTokens(deps.store, deps.clock, deps.auth.resetLinkMinutes);
  }

  async init(): Promise<void> {
    await this.resetTokens.init();
  }

  /** Resolves once the work started after earlier answers (failure counts, e-mails) is done. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.keys()]);
  }

  private later(account: string, work: () => Promise<void>, onError: ErrorSink): void {
    const running = work().catch(onError).finally(() => this.pending.delete(running));
    this.pending.set(running, account);
  }

  private async settled(account: string): Promise<void> {
    await Promise.allSettled([...this.pending].filter(([, key]) => key === account).map(([work]) => work));
  }

  /** Signs in. A failure counts against the caller's address and the account name, whether or not it exists. */
  async login(email: string, password: string, context: { address: string; onError: ErrorSink; onLocked?: (userId: string) => void }): Promise<Principal> {
    const account = normaliseEmail(email);
    this.loginLimits.take(context.address, account);
    const { users, clock, auth } = this.deps;
    const principal = await loginWithPassword(users, email, password, {
      clock,
      maxFailedLogins: auth.maxFailedLogins,
      later: (work) => this.later(account, work, context.onError),
      settled: () => this.settled(account),
      onLocked: context.onLocked,
    });
    this.loginLimits.giveBack(context.address, account);
    return principal;
  }

  /** The signed-in user changes their own password; their other sessions end. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, context: { address: string; sessionToken?: string }): Promise<void> {
    const { users, sessions, auth } = this.deps;
    const user = await users.byId(principal.userId);
    if (!user || !user.passwordHash) throw new UnauthorizedError('Please sign in.');
    this.loginLimits.take(context.address, user.email);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new ValidationError('The current password is not correct.', [{ path: '/currentPassword', message: 'is not correct' }]);
    }
    this.loginLimits.giveBack(context.address, user.email);
    const problems = await passwordProblems(newPassword, auth.passwordPolicy, user.email, passwordHistoryOf(user));
    if (problems.length > 0) throw policyError(problems);
    await this.storePassword(user, newPassword, false);
    await sessions.closeAllFor(user._id, context.sessionToken);
  }

  /**
   * "Forgot password": answers at once and the same way for any address; for an active
   * account, e-mails a single-use reset link afterwards (so the timing tells nothing either).
   */
  requestReset(email: string, context: { address: string; onError: ErrorSink }): void {
    const account = normaliseEmail(email);
    this.recoveryLimits.take(context.address, account);
    this.later(account, async () => {
      const user = await this.deps.users.byEmail(email);
      if (user && user.active) await this.sendResetLink(user);
    }, context.onError);
  }

  /** Sets a new password with a reset link's token: the lock and failure count clear, every session ends. Returns the user id. */
  async resetPassword(token: string, newPassword: string, context: { address: string }): Promise<string> {
    const { users, sessions, auth } = this.deps;
    this.recoveryLimits.take(context.address);
    const userId = await this.resetTokens.peek(token);
    const user = userId ? await users.byId(userId) : null;
    if (!user || !user.active) throw new ValidationError(INVALID_LINK, [{ path: '/token', message: 'is not valid, already used or expired' }]);
    const problems = await passwordProblems(newPassword, auth.passwordPolicy, user.email, passwordHistoryOf(user));
    if (problems.length > 0) throw policyError(problems);
    if (!(await this.resetTokens.use(token))) throw new ValidationError(INVALID_LINK, [{ path: '/token', message: 'is not valid, already used or expired' }]);
    await this.storePassword(user, newPassword, false);
    await sessions.closeAllFor(user._id);
    return user._id;
  }

  /** Gives the account a new random password it must change at the next sign-in; returns it (to show once). */
  async setGeneratedPassword(user: UserRecord): Promise<string> {
    const password = generatePassword(this.deps.auth.passwordPolicy, user.email);
    await this.storePassword(user, password, true);
    await this.deps.sessions.closeAllFor(user._id);
    return password;
  }

  /** A random password for a new account (hashed by the directory when it creates the account). */
  newAccountPassword(email: string): string {
    return generatePassword(this.deps.auth.passwordPolicy, email);
  }

  async sendResetLink(user: UserRecord): Promise<void> {
    const { token } = await this.resetTokens.issue(user._id);
    const link = `${this.deps.publicUrl}/reset-password?token=${token}`;
    const minutes = this.deps.auth.resetLinkMinutes;
    await this.deps.mailer.send({
      to: user.email,
      subject: 'Reset your password',
      text: [
        `Hello ${user.firstName},`,
        '',
        `We received a request to reset the password of the account ${user.email}.`,
        `To choose a new password, open this link within ${minutes} minutes:`,
        '',
        link,
        '',
        'The link works only once. If you did not ask for this, ignore this e-mail: your password stays as it is.',
      ].join('\n'),
    });
  }

  async sendWelcome(user: UserRecord, temporaryPassword: string): Promise<void> {
    await this.deps.mailer.send({
      to: user.email,
      subject: 'Your new account',
      text: [
        `Hello ${user.firstName},`,
        '',
        `An account has been created for you. Sign in at ${this.deps.publicUrl} with:`,
        '',
        `  e-mail: ${user.email}`,
        `  temporary password: ${temporaryPassword}`,
        '',
        'You will be asked to choose your own password when you first sign in.',
      ].join('\n'),
    });
  }

  private async storePassword(user: UserRecord, password: string, mustChange: boolean): Promise<void> {
    const { users, clock, auth } = this.deps;
    await users.setPassword(user, await hashPassword(password), { historySize: auth.passwordPolicy.historySize, mustChange, now: clock.now() });
  }
}
