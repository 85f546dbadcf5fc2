import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { DEFAULT_PASSWORD_POLICY, generatePassword, passwordProblems, passwordRuleProblems } from '../../src/auth/password-policy.js';

const policy = DEFAULT_PASSWORD_POLICY;
const email = 'pat.morgan@example.org';

describe('password rules', () => {
  it('accepts a long password using three kinds of characters', () => {
    expect(passwordRuleProblems('correct horse battery 9', policy, email)).toEqual([]);
    expect(passwordRuleProblems('Tr0ub4dor&3xyz', policy, email)).toEqual([]);
  });

  it('names each rule a password breaks', () => {
    expect(passwordRuleProblems('short', policy, email)).toEqual([
      'must be at least 12 characters long',
      'must use at least 3 of these 4 kinds of characters: lower-case letters, upper-case letters, digits, symbols',
    ]);
    expect(passwordRuleProblems('xxPat.Morgan2026', policy, email)).toEqual(['must not contain the part of your e-mail address before the @']);
  });

  it('counts characters, not UTF-16 units, and knows letters beyond ASCII', () => {
    expect(passwordRuleProblems('ÉéÉéÉéÉéÉé1', policy, email)).toEqual(['must be at least 12 characters long']);
    expect(passwordRuleProblems('ÉéÉéÉéÉéÉé12', policy, email)).toEqual([]);
  });

  it('follows a configured policy', () => {
    const strict = { minLength: 16, minClasses: 4, historySize: 2 };
    expect(passwordRuleProblems('Abcdefghijklmno1', strict, email)).toEqual([
      'must use at least 4 of these 4 kinds of characters: lower-case letters, upper-case letters, digits, symbols',
    ]);
    expect(passwordRuleProblems('Abcdefghijklmn1!', strict, email)).toEqual([]);
  });

  it('ignores a very short e-mail name', () => {
    expect(passwordRuleProblems('Jo-Jo-Jo-2026', policy, 'jo@example.org')).toEqual([]);
  });

  it('refuses any of the last N passwords, and only those', async () => {
    const history = await Promise.all(['Newest-Pass-01', 'Older-Pass-002', 'Oldest-Pass-03'].map(hashPassword));
    const two = { ...policy, historySize: 2 };
    expect(await passwordProblems('Older-Pass-002', two, email, history)).toEqual(['must not be the same as any of your last 2 passwords']);
    expect(await passwordProblems('Oldest-Pass-03', two, email, history)).toEqual([]);
    expect(await passwordProblems('Brand-New-Pass-9', two, email, history)).toEqual([]);
  });
});

describe('generated passwords', () => {
  it('meet the policy, use every kind of character and differ each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword(policy, email);
      expect(passwordRuleProblems(password, { ...policy, minClasses: 4 }, email)).toEqual([]);
      expect(password.length).toBeGreaterThanOrEqual(16);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });

  it('are as long as a longer configured minimum', () => {
    expect(generatePassword({ ...policy, minLength: 30 }, email)).toHaveLength(30);
  });
});
