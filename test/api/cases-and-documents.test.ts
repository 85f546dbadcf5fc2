import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let worker: Client;
let probationWorker: Client;

const youth = { youthFirstName: 'Casey', youthLastName: 'Lane', dob: '2012-03-04', language: 'English', leadAgency: 'DCFS', caseNumber: 'C-1', stateId: 'SID-1' };

beforeAll(async () => {
  t = await startTestEngine();
  worker = await t.login('csw.garcia@example.org');
  probationWorker = await t.login('dpo.nguyen@example.org');
});
afterAll(() => t?.stop());

describe('sign-in', () => {
  it('refuses a wrong password and an unknown account with the same answer', async () => {
    const wrong = await t.anonymous.post('/api/auth/login', { email: 'csw.garcia@example.org', password: 'nope' });
    const unknown = await t.anonymous.post('/api/auth/login', { email: 'nobody@example.org', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('sets an HttpOnly SameSite session cookie and knows the caller', async () => {
    const res = await t.anonymous.post('/api/auth/login', { email: 'CSW.Garcia@example.org', password: 'Demo-Pass-2026!' });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Strict/i);
    const me = await worker.get('/api/auth/me');
    expect(me.body).toMatchObject({ email: 'csw.garcia@example.org', name: 'Maria Garcia', roles: ['CSW'] });
  });

  it('refuses API calls without a session', async () => {
    const res = await t.anonymous.get('/api/cases');
    expect(res.status).toBe(401);
  });

  it('logout ends the session', async () => {
    const client = await t.login('scsw.lee@example.org');
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });
});

describe('cases', () => {
  it('lists only the cases the caller holds a role on', async () => {
    const mine = await worker.get('/api/cases');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: any) => c.data.youthLastName).sort()).toEqual(['Doe', 'Roe']);
    const probation = await probationWorker.get('/api/cases');
    expect(probation.body.items.map((c: any) => c.data.youthLastName)).toEqual(['Poe']);
  });

  it('opens a case with a generated number and the initial status', async () => {
    const res = await worker.post('/api/cases', { caseType: 'assignment', data: youth });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^A-\d{6}$/);
    expect(res.body.status).toBe('New');
    expect(res.body.caseTypeVersion).toBe(1);
    const again = await worker.post('/api/cases', { caseType: 'assignment', data: youth });
    expect(again.body.number).not.toBe(res.body.number);
  });

  it('refuses bad case data naming each field, and stores nothing', async () => {
    const before = (await worker.get('/api/cases')).body.total;
    const res = await worker.post('/api/cases', {
      caseType: 'assignment',
      data: { ...youth, dob: '03/04/2012', leadAgency: 'Police', dualSupervision: 'yes' },
      people: [{ role: 'Janitor', userId: 'x' }],
    });
    expect(res.status).toBe(422);
    const paths = res.body.errors.map((e: any) => e.path).sort();
    expect(paths).toEqual(['/data/dob', '/data/dualSupervision', '/data/leadAgency', '/people/0/role']);
    expect(res.body.errors.find((e: any) => e.path === '/data/dob').message).toBe('DOB must be a date (YYYY-MM-DD)');
    expect((await worker.get('/api/cases')).body.total).toBe(before);
  });

  it('refuses a case type nobody defined and a role that may not open cases', async () => {
    expect((await worker.post('/api/cases', { caseType: 'no-such-type', data: {} })).status).toBe(422);
    const advocate = await t.login('advocate.jones@example.org');
    expect((await advocate.post('/api/cases', { caseType: 'assignment', data: youth })).status).toBe(403);
  });

  it('answers 404 for a case outside the caller scope, as for one that does not exist', async () => {
    const poe = (await probationWorker.get('/api/cases')).body.items[0];
    expect((await worker.get(`/api/cases/${poe._id}`)).status).toBe(404);
    expect((await worker.get('/api/cases/000000000000000000000000')).status).toBe(404);
    const programManager = await t.login('cpm.wilson@example.org');
    expect((await programManager.get(`/api/cases/${poe._id}`)).status).toBe(200);
  });
});

describe('documents', () => {
  let caseId: string;

  beforeAll(async () => {
    caseId = (await worker.post('/api/cases', { caseType: 'assignment', data: youth })).body._id;
  });

  it('starts a draft prefilled from the case, pinned to the form version', async () => {
    const res = await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ stage: 'draft', status: 'In Progress', form: 'csec-referral', formVersion: 1, version: 1 });
    expect(res.body.data.caseInfo).toEqual({ youthFirstName: 'Casey', youthLastName: 'Lane', dob: '2012-03-04', language: 'English', caseNumber: 'C-1', stateId: 'SID-1' });
  });

  it('saves a draft with required fields missing but refuses wrong types and formats', async () => {
    const doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    const ok = await worker.put(`/api/documents/${doc._id}`, { version: doc.version, data: { ...doc.data, referralType: 'Ongoing Advocacy Services' } });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    const bad = await worker.put(`/api/documents/${doc._id}`, {
      version: ok.body.version,
      data: { ...ok.body.data, caseInfo: { ...ok.body.data.caseInfo, workerEmail: 'not-an-email', dob: 20120304 } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(expect.arrayContaining([
      { path: '/data/caseInfo/workerEmail', message: 'CSW/DPO E-mail must be an e-mail address' },
      { path: '/data/caseInfo/dob', message: 'DOB must be a string' },
    ]));
    const stored = await worker.get(`/api/documents/${doc._id}`);
    expect(stored.body.version).toBe(2);
    expect(stored.body.data.caseInfo.workerEmail).toBeUndefined();
  });

  it('refuses a submit that misses required fields or the eligibility rule, listing each', async () => {
    const doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    const res = await worker.post(`/api/documents/${doc._id}/submit`, {
      version: doc.version,
      data: {
        ...doc.data,
        referralType: 'Ongoing Advocacy Services',
        reason: { status: 'At Risk', secondaryIndicators: ['Frequent truancy'], attentionDescription: 'x' },
      },
      signature: { name: 'Maria Garcia' },
    });
    expect(res.status).toBe(422);
    const paths = res.body.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining([
      '/data/caseInfo/workerName', '/data/caseInfo/workerPhone', '/data/caseInfo/workerEmail', '/data/caseInfo/supervisorName',
      '/data/whereabouts', '/data/serviceComponent', '/data/reason',
    ]));
    expect((await worker.get(`/api/documents/${doc._id}`)).body.stage).toBe('draft');
  });

  it('submits a complete, signed document, which is then read-only', async () => {
    const doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    const data = {
      ...doc.data,
      referralType: 'FRP Response Only',
      caseInfo: { ...doc.data.caseInfo, workerName: 'Maria Garcia', workerPhone: '(555) 010-1001', workerEmail: 'csw.garcia@example.org', supervisorName: 'Grace Lee' },
    };
    const unsigned = await worker.post(`/api/documents/${doc._id}/submit`, { version: doc.version, data, signature: { name: 'Someone Else' } });
    expect(unsigned.status).toBe(422);
    expect(unsigned.body.errors).toEqual([{ path: '/signature/name', message: expect.stringContaining('Maria Garcia') }]);

    const res = await worker.post(`/api/documents/${doc._id}/submit`, { version: doc.version, data, signature: { name: ' maria  GARCIA ' } });
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('submitted');
    expect(res.body.signature.signerName).toBe('Maria Garcia');
    expect(Date.parse(res.body.signature.signedAt)).toBeGreaterThan(Date.now() - 60_000);

    const edit = await worker.put(`/api/documents/${doc._id}`, { version: res.body.version, data });
    expect(edit.status).toBe(409);
    expect(edit.body.message).toMatch(/read-only/);
    const resubmit = await worker.post(`/api/documents/${doc._id}/submit`, { version: res.body.version, data, signature: { name: 'Maria Garcia' } });
    expect(resubmit.status).toBe(409);
  });

  it('lets exactly one of two concurrent saves of the same version win', async () => {
    const doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    const [a, b] = await Promise.all([
      worker.put(`/api/documents/${doc._id}`, { version: doc.version, data: { referralType: 'FRP Response Only' } }),
      worker.put(`/api/documents/${doc._id}`, { version: doc.version, data: { referralType: 'Ongoing Advocacy Services' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await worker.get(`/api/documents/${doc._id}`)).body.version).toBe(2);
  });

  it('keeps documents invisible to callers outside the case', async () => {
    const doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    expect((await probationWorker.get(`/api/documents/${doc._id}`)).status).toBe(404);
    expect((await probationWorker.put(`/api/documents/${doc._id}`, { version: 1, data: {} })).status).toBe(404);
    expect((await probationWorker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).status).toBe(404);
  });

  it('lists the documents of a case with their status and dates', async () => {
    const res = await worker.get(`/api/cases/${caseId}/documents`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThanOrEqual(5);
    expect(res.body[0]).toMatchObject({ form: 'csec-referral', stage: expect.any(String), status: expect.any(String), createdAt: expect.any(String) });
  });
});
