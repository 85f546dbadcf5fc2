/**
 * The account lifecycle through the API: accounts added by administrators within their
 * configured scope, forced password change, password rules, lockout and unlock, forgot and
 * reset by e-mail, CSRF, rate limits and deactivation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/src/config.js';
import { TestClock } from '../../engine/src/runtime/time/index.js';
import { DEMO_PASSWORD, startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let clock: TestClock;
let programAdmin: Client;
let agencyAdmin: Client;
let agency2Admin: Client;
let dcfsAdmin: Client;

const base = loadConfig({});
const GOOD = 'Harbor-Lights-2031';

beforeAll(async () => {
  clock = new TestClock(new Date());
  // Rate limits are tested on their own engine below; here they stay out of the way.
  // Sessions outlive the clock jumps of the expiry tests.
  t = await startTestEngine({
    auth: { ...base.auth, rateLimits: { windowSeconds: 60, perAddress: 10_000, perAccount: 10_000 } },
    sessions: { ...base.sessions, idleMinutes: 24 * 60, absoluteHours: 48 },
  }, { clock });
  programAdmin = await t.login('program.admin@example.org');
  agencyAdmin = await t.login('agency.admin@example.org');
  agency2Admin = await t.login('agency2.admin@example.org');
  dcfsAdmin = await t.login('csec.admin.dcfs@example.org');
});
afterAll(() => t?.stop());

let counter = 0;
/** An advocate of the first agency, added by its agency admin; returns the id and temporary password. */
async function newAdvocate(extra: Record<string, unknown> = {}): Promise<{ id: string; email: string; temporaryPassword: string }> {
  const email = `advocate.new${++counter}@example.org`;
  const res = await agencyAdmin.post('/api/users', { email, firstName: 'Nova', lastName: `Reyes${counter}`, roles: ['Advocate'], ...extra });
  expect(res.status).toBe(201);
  return { id: res.body.account.id, email, temporaryPassword: res.body.temporaryPassword };
}

/** An advocate who has already chosen their own password `GOOD`. */
async function activeAdvocate(): Promise<{ id: string; email: string; client: Client }> {
  const { id, email, temporaryPassword } = await newAdvocate();
  const first = await t.login(email, temporaryPassword);
  expect((await first.post('/api/auth/change-password', { currentPassword: temporaryPassword, newPassword: GOOD })).status).toBe(204);
  return { id, email, client: first };
}

const signIn = (email: string, password: string) => t.anonymous.post('/api/auth/login', { email, password });

/** The reset token in the newest e-mail to `to`. */
function resetTokenFor(to: string): string {
  const mail = t.mail.filter((m) => m.to === to).at(-1);
  expect(mail, `an e-mail to ${to}`).toBeTruthy();
  const match = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail!.text);
  expect(match).toBeTruthy();
  return match![1];
}

describe('first sign-in with a system-generated password', () => {
  it('adds the account with a random password shown once, and demo users are not forced to change theirs', async () => {
    const res = await agencyAdmin.post('/api/users', { email: 'First.Timer@Example.org', firstName: 'Fay', lastName: 'Timer', phone: '(555) 010-4444', roles: ['Advocate'] });
    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({ email: 'first.timer@example.org', roles: ['Advocate'], active: true, locked: false, mustChangePassword: true, attributes: { agency: 'Harbor Youth Advocates' } });
    expect(res.body.temporaryPassword).toMatch(/^\S{16,}$/);
    expect(res.body.account).not.toHaveProperty('passwordHash');
    expect(JSON.stringify((await agencyAdmin.get(`/api/users/${res.body.account.id}`)).body)).not.toContain(res.body.temporaryPassword);

    const demo = await signIn('csw.garcia@example.org', DEMO_PASSWORD);
    expect(demo.body.mustChangePassword).toBe(false);
  });

  it('signs in, but allows nothing but "me", change password and logout until the password is changed', async () => {
    const { email, temporaryPassword } = await newAdvocate();
    const login = await signIn(email, temporaryPassword);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ email, mustChangePassword: true });
    const client = await t.login(email, temporaryPassword);

    const cases = await client.get('/api/cases');
    expect(cases.status).toBe(403);
    expect(cases.body.error).toBe('Forbidden');
    expect(cases.body.message).toMatch(/change your password first/i);
    expect((await client.get('/api/users')).status).toBe(403);
    expect((await client.get('/api/auth/me')).body.mustChangePassword).toBe(true);

    const change = await client.post('/api/auth/change-password', { currentPassword: temporaryPassword, newPassword: GOOD });
    expect(change.status).toBe(204);
    expect((await client.get('/api/cases')).status).toBe(200);
    expect((await client.get('/api/auth/me')).body.mustChangePassword).toBe(false);
    expect((await signIn(email, GOOD)).body.mustChangePassword).toBe(false);
  });
});

describe('password rules', () => {
  it('names every rule a new password breaks, at /newPassword', async () => {
    const { email, client } = await activeAdvocate();
    const weak = await client.post('/api/auth/change-password', { currentPassword: GOOD, newPassword: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body.errors).toEqual([
      { path: '/newPassword', message: 'must be at least 12 characters long' },
      { path: '/newPassword', message: 'must use at least 3 of these 4 kinds of characters: lower-case letters, upper-case letters, digits, symbols' },
    ]);
    const withName = await client.post('/api/auth/change-password', { currentPassword: GOOD, newPassword: `X-${email.split('@')[0].toUpperCase()}-9` });
    expect(withName.body.errors).toEqual([{ path: '/newPassword', message: 'must not contain the part of your e-mail address before the @' }]);
  });

  it('refuses a wrong current password before looking at the new one', async () => {
    const { client } = await activeAdvocate();
    const res = await client.post('/api/auth/change-password', { currentPassword: 'not-it', newPassword: GOOD });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/currentPassword', message: 'is not correct' }]);
  });

  it('refuses any of the last five passwords, and allows the sixth-last', async () => {
    const { client } = await activeAdvocate();
    const passwords = [GOOD, 'Second-Pass-0002', 'Third-Pass-00003', 'Fourth-Pass-0004', 'Fifth-Pass-00005', 'Sixth-Pass-00006'];
    for (let i = 1; i < passwords.length; i++) {
      expect((await client.post('/api/auth/change-password', { currentPassword: passwords[i - 1], newPassword: passwords[i] })).status).toBe(204);
    }
    // History now: Sixth (current), Fifth, Fourth, Third, Second; GOOD has dropped out.
    for (const old of [passwords[5], passwords[2]]) {
      const reuse = await client.post('/api/auth/change-password', { currentPassword: passwords[5], newPassword: old });
      expect(reuse.status).toBe(422);
      expect(reuse.body.errors).toEqual([{ path: '/newPassword', message: 'must not be the same as any of your last 5 passwords' }]);
    }
    expect((await client.post('/api/auth/change-password', { currentPassword: passwords[5], newPassword: GOOD })).status).toBe(204);
  });

  it('ends the other sessions of the user, keeping the one that changed it', async () => {
    const { email, client } = await activeAdvocate();
    const other = await t.login(email, GOOD);
    expect((await client.post('/api/auth/change-password', { currentPassword: GOOD, newPassword: 'Another-Pass-2031' })).status).toBe(204);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });
});

describe('lockout', () => {
  it('locks after five failures with the same answer as a wrong password, until an authorised admin unlocks it', async () => {
    const { id, email } = await activeAdvocate();
    const wrong = await signIn(email, 'Wrong-Password-1');
    for (let i = 0; i < 4; i++) expect((await signIn(email, 'Wrong-Password-1')).status).toBe(401);
    const locked = await signIn(email, GOOD);
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(wrong.body);
    expect(locked.body).toEqual((await signIn('nobody.here@example.org', GOOD)).body);

    await t.engine.services.credentials.idle();
    const found = await agencyAdmin.get(`/api/users?q=${encodeURIComponent(email)}`);
    expect(found.body.items).toEqual([expect.objectContaining({ id, locked: true, lockedAt: expect.any(String) })]);

    expect((await agency2Admin.post(`/api/users/${id}/unlock`)).status).toBe(403);
    expect((await dcfsAdmin.post(`/api/users/${id}/unlock`)).status).toBe(403);
    const unlock = await agencyAdmin.post(`/api/users/${id}/unlock`);
    expect(unlock.status).toBe(200);
    expect(unlock.body).toMatchObject({ locked: false });
    expect((await signIn(email, GOOD)).status).toBe(200);
  });

  it('lets an agency admin unlock only their own advocates, not a social worker', async () => {
    const csw = await dcfsAdmin.post('/api/users', { email: 'csw.locked@example.org', firstName: 'Lee', lastName: 'Locke', roles: ['CSW'] });
    expect(csw.status).toBe(201);
    expect(csw.body.account.attributes).toEqual({ department: 'DCFS' });
    for (let i = 0; i < 5; i++) await signIn('csw.locked@example.org', 'Wrong-Password-1');
    await t.engine.services.credentials.idle();
    const refused = await agencyAdmin.post(`/api/users/${csw.body.account.id}/unlock`);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('You may not manage this user account.');
    expect((await dcfsAdmin.post(`/api/users/${csw.body.account.id}/unlock`)).body.locked).toBe(false);
  });

  it('does not count failures against a user who then signs in', async () => {
    const { email } = await activeAdvocate();
    for (let i = 0; i < 4; i++) await signIn(email, 'Wrong-Password-1');
    expect((await signIn(email, GOOD)).status).toBe(200);
    for (let i = 0; i < 4; i++) await signIn(email, 'Wrong-Password-1');
    expect((await signIn(email, GOOD)).status).toBe(200);
  });
});

describe('forgot password', () => {
  it('answers the same for an unknown, an inactive and a real account, and e-mails only the real one', async () => {
    const { email } = await activeAdvocate();
    const gone = await activeAdvocate();
    await agencyAdmin.post(`/api/users/${gone.id}/deactivate`);
    const before = t.mail.length;
    const answers = [];
    for (const address of ['nobody.at.all@example.org', gone.email, email]) {
      answers.push(await t.anonymous.post('/api/auth/forgot-password', { email: address }));
    }
    for (const answer of answers) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(answers[0].body);
    }
    await t.engine.services.credentials.idle();
    const sent = t.mail.slice(before);
    expect(sent.map((m) => m.to)).toEqual([email]);
    expect(sent[0].subject).toBe('Reset your password');
    expect(sent[0].text).toContain(`${t.config.publicUrl}/reset-password?token=`);
    expect(sent[0].raw).toMatch(/^From: no-reply@example\.org/m);
  });

  it('resets with the e-mailed link once, applying the password rules, and unlocks the account', async () => {
    const { email } = await activeAdvocate();
    for (let i = 0; i < 5; i++) await signIn(email, 'Wrong-Password-1');
    await t.anonymous.post('/api/auth/forgot-password', { email: email.toUpperCase() });
    await t.engine.services.credentials.idle();
    const token = resetTokenFor(email);

    const weak = await t.anonymous.post('/api/auth/reset-password', { token, newPassword: 'weak' });
    expect(weak.status).toBe(422);
    expect(weak.body.errors.every((e: any) => e.path === '/newPassword')).toBe(true);
    const reused = await t.anonymous.post('/api/auth/reset-password', { token, newPassword: GOOD });
    expect(reused.body.errors).toEqual([{ path: '/newPassword', message: 'must not be the same as any of your last 5 passwords' }]);

    expect((await t.anonymous.post('/api/auth/reset-password', { token, newPassword: 'Reset-Pass-2031' })).status).toBe(204);
    expect((await signIn(email, 'Reset-Pass-2031')).status).toBe(200);
    const again = await t.anonymous.post('/api/auth/reset-password', { token, newPassword: 'Other-Pass-20310' });
    expect(again.status).toBe(422);
    expect(again.body.errors).toEqual([{ path: '/token', message: 'is not valid, already used or expired' }]);
  });

  it('expires the link after 30 minutes, and a newer link replaces an older one', async () => {
    const { email } = await activeAdvocate();
    await t.anonymous.post('/api/auth/forgot-password', { email });
    await t.engine.services.credentials.idle();
    const first = resetTokenFor(email);
    await t.anonymous.post('/api/auth/forgot-password', { email });
    await t.engine.services.credentials.idle();
    const second = resetTokenFor(email);
    expect((await t.anonymous.post('/api/auth/reset-password', { token: first, newPassword: 'Reset-Pass-2031' })).status).toBe(422);

    clock.advance(31 * 60_000);
    const late = await t.anonymous.post('/api/auth/reset-password', { token: second, newPassword: 'Reset-Pass-2031' });
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/expired/);
    expect((await signIn(email, GOOD)).status).toBe(200);
  });

  it('refuses a made-up token the same way', async () => {
    for (const token of ['x', 'A'.repeat(43), '../../etc']) {
      const res = await t.anonymous.post('/api/auth/reset-password', { token, newPassword: 'Reset-Pass-2031' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ path: '/token', message: 'is not valid, already used or expired' }]);
    }
  });
});

describe('CSRF protection', () => {
  it('refuses a state-changing request carrying the cookie but not the session token', async () => {
    const client = await t.login('csw.garcia@example.org');
    const youth = { youthFirstName: 'Casey', youthLastName: 'Lane', dob: '2012-03-04', language: 'English', leadAgency: 'DCFS', caseNumber: 'C-1', stateId: 'SID-1' };
    const body = { caseType: 'assignment', data: youth };
    const missing = await client.request('POST', '/api/cases', body, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect(missing.body.message).toMatch(/x-csrf-token/);
    const wrong = await client.request('POST', '/api/cases', body, { 'x-csrf-token': 'A'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect((await client.request('POST', '/api/auth/logout', {}, { 'x-csrf-token': '' })).status).toBe(403);

    const me = await client.get('/api/auth/me');
    expect(me.body.csrfToken).toBe(client.csrfToken);
    expect((await client.request('POST', '/api/cases', body, { 'x-csrf-token': me.body.csrfToken })).status).toBe(201);
  });

  it('does not ask for it on sign-in, forgot and reset, nor on reads', async () => {
    const client = await t.login('csw.garcia@example.org');
    const headers = { 'x-csrf-token': '' };
    expect((await client.request('POST', '/api/auth/login', { email: 'csw.garcia@example.org', password: DEMO_PASSWORD }, headers)).status).toBe(200);
    expect((await client.request('POST', '/api/auth/forgot-password', { email: 'nobody@example.org' }, headers)).status).toBe(202);
    expect((await client.request('POST', '/api/auth/reset-password', { token: 'x', newPassword: 'Reset-Pass-2031' }, headers)).status).toBe(422);
    expect((await client.request('GET', '/api/cases', undefined, headers)).status).toBe(200);
  });
});

describe('account administration', () => {
  it('shows each admin only the accounts their rule covers, in the store query', async () => {
    const emails = async (client: Client, query = '') => {
      const res = await client.get(`/api/users?limit=500${query}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(res.body.items.length);
      return res.body.items.map((u: any) => u.email);
    };
    const agency = await emails(agencyAdmin);
    expect(agency).toContain('advocate.jones@example.org');
    expect(agency).not.toContain('advocate.chen@example.org');
    expect((await agencyAdmin.get('/api/users?limit=500')).body.items.every((u: any) => u.roles.join() === 'Advocate' && u.attributes.agency === 'Harbor Youth Advocates')).toBe(true);
    expect(await emails(agency2Admin)).toEqual(['advocate.chen@example.org']);
    const dcfs = await emails(dcfsAdmin);
    expect(dcfs).toEqual(expect.arrayContaining(['csw.garcia@example.org', 'csw.okafor@example.org', 'scsw.lee@example.org']));
    expect(dcfs.some((e: string) => /dpo|advocate|admin|cpm/.test(e))).toBe(false);
    const probation = await emails(await t.login('csec.admin.probation@example.org'));
    expect(probation).toEqual(['sdpo.brown@example.org', 'dpo.nguyen@example.org']);
    expect((await emails(programAdmin)).length).toBeGreaterThan(14);

    expect(await emails(agencyAdmin, '&q=JONES')).toEqual(['advocate.jones@example.org']);
    expect(await emails(agencyAdmin, '&q=chen')).toEqual([]);
    expect(await emails(programAdmin, '&role=SDPO')).toEqual(['sdpo.brown@example.org']);
    expect(await emails(programAdmin, '&q=.*')).toEqual([]);

    const worker = await t.login('csw.garcia@example.org');
    const refused = await worker.get('/api/users');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Your role does not include managing user accounts.');
  });

  it('refuses, naming the field, roles and attributes outside the admin rule', async () => {
    const role = await agencyAdmin.post('/api/users', { email: 'would.be@example.org', firstName: 'W', lastName: 'B', roles: ['Advocate', 'CSW'] });
    expect(role.status).toBe(403);
    expect(role.body.errors).toEqual([{ path: '/roles/1', message: '"CSW" is not a role you may give' }]);
    const other = await agencyAdmin.post('/api/users', { email: 'would.be@example.org', firstName: 'W', lastName: 'B', roles: ['Advocate'], attributes: { agency: 'Bridgeway Youth Services' } });
    expect(other.status).toBe(403);
    expect(other.body.errors).toEqual([{ path: '/attributes/agency', message: 'must be "Harbor Youth Advocates"' }]);
    const { id } = await newAdvocate();
    const promote = await agencyAdmin.put(`/api/users/${id}`, { roles: ['Agency Admin'] });
    expect(promote.status).toBe(403);
    expect(promote.body.errors).toEqual([{ path: '/roles/0', message: '"Agency Admin" is not a role you may give' }]);
    expect((await programAdmin.get('/api/users?q=would.be')).body.total).toBe(0);
  });

  it('edits names, phone, roles, attributes and the active flag of an account in scope', async () => {
    const { id } = await newAdvocate({ attributes: { frpAreas: ['SPA 6'] } });
    const res = await agencyAdmin.put(`/api/users/${id}`, { firstName: 'Nora', phone: '1231231234', attributes: { frpAreas: ['SPA 6', 'SPA 8'] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ firstName: 'Nora', phone: '1231231234', attributes: { frpAreas: ['SPA 6', 'SPA 8'], agency: 'Harbor Youth Advocates' } });
    expect((await agencyAdmin.put(`/api/users/${id}`, { phone: '' })).body).not.toHaveProperty('phone');
    const trail = await programAdmin.get(`/api/audit?action=account.update`);
    expect(trail.body.items.some((e: any) => e.entity?.id === id && e.changes.some((c: any) => c.path === '/firstName'))).toBe(true);
  });

  it('deactivates without deleting: the user can no longer sign in and their sessions end', async () => {
    const { id, email, client } = await activeAdvocate();
    const res = await agencyAdmin.post(`/api/users/${id}/deactivate`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, active: false });
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await signIn(email, GOOD)).status).toBe(401);
    expect((await agencyAdmin.get(`/api/users?active=false&q=${encodeURIComponent(email)}`)).body.items.map((u: any) => u.id)).toEqual([id]);
    expect((await agencyAdmin.put(`/api/users/${id}`, { active: true })).body.active).toBe(true);
    expect((await signIn(email, GOOD)).status).toBe(200);
  });

  it('resets a password by showing a new one, or by e-mailing a link', async () => {
    const { id, email } = await activeAdvocate();
    const shown = await agencyAdmin.post(`/api/users/${id}/reset-password`, { delivery: 'show' });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ emailed: false, account: { mustChangePassword: true } });
    expect((await signIn(email, GOOD)).status).toBe(401);
    expect((await signIn(email, shown.body.temporaryPassword)).body.mustChangePassword).toBe(true);

    const mailed = await agencyAdmin.post(`/api/users/${id}/reset-password`, { delivery: 'email' });
    expect(mailed.body).toEqual({ emailed: true, account: expect.objectContaining({ id }) });
    expect(resetTokenFor(email)).toBeTruthy();
    expect((await agency2Admin.post(`/api/users/${id}/reset-password`, {})).status).toBe(403);
  });

  it('e-mails a new account its temporary password when asked to', async () => {
    const res = await agencyAdmin.post('/api/users', { email: 'mailed.advocate@example.org', firstName: 'Mae', lastName: 'Lee', roles: ['Advocate'], delivery: 'email' });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('temporaryPassword');
    const mail = t.mail.filter((m) => m.to === 'mailed.advocate@example.org').at(-1)!;
    const password = /temporary password: (\S+)/.exec(mail.text)![1];
    expect((await signIn('mailed.advocate@example.org', password)).body.mustChangePassword).toBe(true);
  });

  it('keeps an admin from locking themselves out', async () => {
    const me = (await programAdmin.get('/api/auth/me')).body;
    expect((await programAdmin.post(`/api/users/${me.userId}/deactivate`)).status).toBe(403);
    expect((await programAdmin.put(`/api/users/${me.userId}`, { roles: ['auditor'] })).status).toBe(403);
    expect((await programAdmin.put(`/api/users/${me.userId}`, { phone: '(555) 010-5002' })).status).toBe(200);
  });

  it('answers bad input with 4xx naming the field', async () => {
    const bad = await programAdmin.post('/api/users', { email: 'not-an-email', firstName: ' ', lastName: 'X', roles: [], attributes: { 'a.b': 1, ok: { deep: true } }, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['/email', '/firstName', '/roles', '/extra']));
    const attrs = await programAdmin.post('/api/users', { email: 'ok.attrs@example.org', firstName: 'A', lastName: 'B', roles: ['CSW'], attributes: { ok: { deep: true } } });
    expect(attrs.status).toBe(400);
    expect(attrs.body.errors).toEqual([{ path: '/attributes/ok', message: expect.stringMatching(/must be a text/) }]);
    expect((await programAdmin.put('/api/users/000000000000000000000000', { firstName: 'A' })).status).toBe(404);
    expect((await programAdmin.put('/api/users/000000000000000000000000', {})).status).toBe(400);
    expect((await programAdmin.get('/api/users?active=maybe')).status).toBe(400);
    const duplicate = await agencyAdmin.post('/api/users', { email: 'advocate.chen@example.org', firstName: 'A', lastName: 'B', roles: ['Advocate'] });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors).toEqual([{ path: '/email', message: 'is already in use' }]);
  });

  it('reveals nothing of another user in any refusal', async () => {
    const chen = (await agency2Admin.get('/api/users')).body.items[0];
    const answers = [
      await agencyAdmin.get(`/api/users/${chen.id}`),
      await agencyAdmin.put(`/api/users/${chen.id}`, { firstName: 'X' }),
      await agencyAdmin.post(`/api/users/${chen.id}/deactivate`),
      await agencyAdmin.post(`/api/users/${chen.id}/unlock`),
      await agencyAdmin.post(`/api/users/${chen.id}/reset-password`, {}),
      await agencyAdmin.post('/api/users', { email: chen.email, firstName: 'A', lastName: 'B', roles: ['Advocate'] }),
      await signIn(chen.email, 'Wrong-Password-1'),
      await t.anonymous.post('/api/auth/forgot-password', { email: chen.email }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(202);
      for (const secret of [chen.firstName, chen.lastName, chen.phone, chen.attributes.agency, chen.id, 'SPA 4']) expect(answer.raw).not.toContain(secret);
    }
    expect((await agency2Admin.get(`/api/users/${chen.id}`)).body.firstName).toBe('Wei');
  });
});

describe('rate limits (in memory, per API node)', () => {
  let limited: TestEngine;
  let limitClock: TestClock;
  beforeAll(async () => {
    limitClock = new TestClock(new Date());
    limited = await startTestEngine({}, { clock: limitClock });
  });
  afterAll(() => limited?.stop());

  const from = (address: string, url: string, payload: object) =>
    limited.engine.http.inject({ method: 'POST', url, payload, remoteAddress: address });

  it('answers 429 after ten failed sign-ins from one address, and again after a minute', async () => {
    for (let i = 0; i < 10; i++) expect((await from('10.1.1.1', '/api/auth/login', { email: `someone${i}@example.org`, password: 'x' })).statusCode).toBe(401);
    const refused = await from('10.1.1.1', '/api/auth/login', { email: 'csw.garcia@example.org', password: DEMO_PASSWORD });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: 'Too Many Requests', message: 'Too many attempts. Please wait a minute and try again.' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('10.1.1.2', '/api/auth/login', { email: 'csw.garcia@example.org', password: DEMO_PASSWORD })).statusCode).toBe(200);
    limitClock.advance(61_000);
    expect((await from('10.1.1.1', '/api/auth/login', { email: 'csw.garcia@example.org', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('answers 429 after five failures on one account name from many addresses, whether or not it exists', async () => {
    for (const email of ['ghost@example.org', 'scsw.lee@example.org']) {
      for (let i = 0; i < 5; i++) await from(`10.2.0.${i}`, '/api/auth/login', { email, password: 'x' });
      expect((await from('10.2.0.99', '/api/auth/login', { email, password: 'x' })).statusCode).toBe(429);
    }
  });

  it('does not count successful sign-ins', async () => {
    for (let i = 0; i < 15; i++) expect((await from('10.3.0.1', '/api/auth/login', { email: 'csw.okafor@example.org', password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('limits forgot-password and reset requests per address', async () => {
    for (let i = 0; i < 10; i++) expect((await from('10.4.0.1', '/api/auth/forgot-password', { email: `x${i}@example.org` })).statusCode).toBe(202);
    expect((await from('10.4.0.1', '/api/auth/forgot-password', { email: 'y@example.org' })).statusCode).toBe(429);
    expect((await from('10.4.0.1', '/api/auth/reset-password', { token: 'x', newPassword: 'Reset-Pass-2031' })).statusCode).toBe(429);
    for (let i = 0; i < 5; i++) await from(`10.5.0.${i}`, '/api/auth/forgot-password', { email: 'dpo.nguyen@example.org' });
    expect((await from('10.5.0.99', '/api/auth/forgot-password', { email: 'dpo.nguyen@example.org' })).statusCode).toBe(429);
    await limited.engine.services.credentials.idle();
    expect(limited.mail.filter((m) => m.to === 'dpo.nguyen@example.org')).toHaveLength(5);
  });
});
