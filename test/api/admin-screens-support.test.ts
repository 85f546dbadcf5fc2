/**
 * What the admin screens ask the engine before showing anything: whether the user administers
 * accounts (on the session), what they may give (GET /api/users/administration, from the account
 * administration rules and their `fields`), and whether the demo mail viewer exists (GET /api/app-info).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAdminRules } from '../../engine/src/auth/admin-scope.js';
import { MailCatcher } from '../../engine/src/notifications/mail-catcher.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t?.stop());

describe('account administration for the admin screens', () => {
  it('tells each session whether its user administers accounts', async () => {
    expect((await (await t.login('agency.admin@example.org')).get('/api/auth/me')).body.managesAccounts).toBe(true);
    expect((await (await t.login('csec.admin.dcfs@example.org')).get('/api/auth/me')).body.managesAccounts).toBe(true);
    const worker = await t.login('csw.garcia@example.org');
    expect((await worker.get('/api/auth/me')).body.managesAccounts).toBe(false);
    const login = await t.anonymous.post('/api/auth/login', { email: 'advocate.jones@example.org', password: 'Demo-Pass-2026!' });
    expect(login.body.managesAccounts).toBe(false);
  });

  it('gives an agency admin the roles they may give, their own agency fixed, and the FRP areas field', async () => {
    const res = await (await t.login('agency.admin@example.org')).get('/api/users/administration');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      roles: ['Advocate'],
      fixedAttributes: { agency: 'Harbor Youth Advocates' },
      fields: [{ attribute: 'frpAreas', title: 'FRP Areas', lookup: 'frp-areas', multiple: true }],
    });
  });

  it('gives a department admin their department, and the program administrator every role', async () => {
    const dcfs = await (await t.login('csec.admin.dcfs@example.org')).get('/api/users/administration');
    expect(dcfs.body).toMatchObject({ roles: ['CSW', 'SCSW'], fixedAttributes: { department: 'DCFS' } });
    const program = await (await t.login('program.admin@example.org')).get('/api/users/administration');
    expect(program.body).toEqual({ roles: '*', fixedAttributes: {}, fields: [] });
  });

  it('answers 403 to a user who administers no accounts, and 401 to nobody', async () => {
    const res = await (await t.login('csw.garcia@example.org')).get('/api/users/administration');
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/managing user accounts/);
    expect((await t.anonymous.get('/api/users/administration')).status).toBe(401);
  });

  it('refuses a malformed fields list in the rules file, naming each problem', () => {
    const problems = checkAdminRules([
      { role: 'A', manages: { roles: ['B'] }, fields: [{ attribute: '1bad', title: '' }, { attribute: 'ok', title: 'Ok', lookup: 'Not A Key', multiple: 'yes', extra: 1 }] },
      { role: 'C', manages: { roles: ['D'] }, fields: 'office' },
    ]);
    expect(problems).toEqual([
      { path: '/0/fields/0/attribute', message: 'must be a plain attribute name' },
      { path: '/0/fields/0/title', message: 'must be a non-empty text' },
      { path: '/0/fields/1/extra', message: 'is not a known field' },
      { path: '/0/fields/1/lookup', message: 'must be a lookup key' },
      { path: '/0/fields/1/multiple', message: 'must be true or false' },
      { path: '/1/fields', message: 'must be a list of fields' },
    ]);
  });
});

describe('app info', () => {
  it('has no demo mail viewer without the demo mail catcher', async () => {
    const res = await t.anonymous.get('/api/app-info');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ demoMailUrl: null });
  });

  it('points at the demo mail viewer when the server runs the demo mail catcher', async () => {
    const catcher = new MailCatcher();
    const port = await catcher.start();
    const demo = await startTestEngine({ mail: { from: 'no-reply@example.org', smtpUrl: `smtp://127.0.0.1:${port}` } }, { mailCatcher: catcher });
    try {
      const res = await demo.anonymous.get('/api/app-info');
      expect(res.body).toEqual({ demoMailUrl: '/demo/mail' });
      expect((await demo.anonymous.get(res.body.demoMailUrl)).status).toBe(200);
    } finally {
      await demo.stop();
      await catcher.stop();
    }
  });
});
