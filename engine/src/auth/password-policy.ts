/**
 * The password rules (length, kinds of characters, no reuse of recent passwords, not the
 * e-mail's name) and the random passwords the system gives new and reset accounts.
 */
import { randomInt } from 'node:crypto';
import { verifyPassword } from './passwords.js';

export interface PasswordPolicy {
  minLength: number;
  /** How many of the four kinds (lower-case, upper-case, digits, symbols) a password must use. */
  minClasses: number;
  /** A new password may not be any of this many most recent ones (the current one included). */
  historySize: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, minClasses: 3, historySize: 5 };

const CLASSES: { name: string; test: RegExp }[] = [
  { name: 'lower-case letters', test: /\p{Ll}/u },
  { name: 'upper-case letters', test: /\p{Lu}/u },
  { name: 'digits', test: /\p{Nd}/u },
  { name: 'symbols', test: /[^\p{L}\p{Nd}]/u },
];

/** The part of an e-mail address before the @, when long enough to matter. */
function emailName(email: string): string | null {
  const local = email.split('@')[0]?.trim().toLowerCase() ?? '';
  return local.length >= 3 ? local : null;
}

/** The rules a password breaks that can be told without the stored history, as messages. */
export function passwordRuleProblems(password: string, policy: PasswordPolicy, email: string): string[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`must be at least ${policy.minLength} characters long`);
  const used = CLASSES.filter((c) => c.test.test(password)).length;
  if (used < policy.minClasses) {
    problems.push(`must use at least ${policy.minClasses} of these ${CLASSES.length} kinds of characters: ${CLASSES.map((c) => c.name).join(', ')}`);
  }
  const name = emailName(email);
  if (name && password.toLowerCase().includes(name)) problems.push('must not contain the part of your e-mail address before the @');
  return problems;
}

/** Whether the password is one of the stored hashes (one scrypt check each, run side by side). */
export async function isRecentPassword(password: string, history: readonly string[]): Promise<boolean> {
  const matches = await Promise.all(history.map((hash) => verifyPassword(password, hash)));
  return matches.some(Boolean);
}

/** Every rule the password breaks, the reuse check included, as messages. */
export async function passwordProblems(password: string, policy: PasswordPolicy, email: string, history: readonly string[]): Promise<string[]> {
  const problems = passwordRuleProblems(password, policy, email);
  if (policy.historySize > 0 && (await isRecentPassword(password, history.slice(0, policy.historySize)))) {
    problems.push(`must not be the same as any of your last ${policy.historySize} passwords`);
  }
  return problems;
}

// Letters and digits that cannot be mistaken for one another when read out or copied.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-=?@_';

/** A random password meeting the policy: every kind of character, at least 16 long. */
export function generatePassword(policy: PasswordPolicy, email: string): string {
  const length = Math.max(policy.minLength, 16);
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  for (;;) {
    const chars = [LOWER, UPPER, DIGITS, SYMBOLS].map((set) => set[randomInt(set.length)]);
    while (chars.length < length) chars.push(all[randomInt(all.length)]);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j], chars[i]];
    }
    const password = chars.join('');
    if (passwordRuleProblems(password, policy, email).length === 0) return password;
  }
}
