import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let worker: Client;
let auditor: Client;
let outsider: Client;
let caseId: string;

beforeAll(async () => {
  t = await startTestEngine();
  worker = await t.login('csw.garcia@example.org');
  auditor = await t.login('program.admin@example.org');
  outsider = await t.login('dpo.nguyen@example.org');
  caseId = (await worker.get('/api/cases')).body.items.find((c: any) => c.data.youthLastName === 'Doe')._id;
});
afterAll(() => t?.stop());

describe('audit trail', () => {
  it('records views, field-level changes and denials, attributed to the caller', async () => {
    await worker.get(`/api/cases/${caseId}`);
    const doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    await worker.put(`/api/documents/${doc._id}`, { version: doc.version, data: { ...doc.data, referralType: 'FRP Response Only' } });
    expect((await outsider.get(`/api/cases/${caseId}`)).status).toBe(404);

    const trail = await auditor.get(`/api/audit?caseId=${caseId}`);
    expect(trail.status).toBe(200);
    const actions = trail.body.items.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.view', 'document.create', 'document.save']));
    const save = trail.body.items.find((e: any) => e.action === 'document.save');
    expect(save).toMatchObject({ userName: 'Maria Garcia', outcome: 'done', changes: [{ path: '/referralType', before: null, after: 'FRP Response Only' }] });
    expect(save.ip).toBeTruthy();

    const denials = await auditor.get('/api/audit?action=access.denied');
    expect(denials.body.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ userName: 'Thanh Nguyen', outcome: 'denied', details: expect.objectContaining({ path: `/api/cases/${caseId}`, status: 404 }) }),
    ]));
  });

  it('is searchable by user and time, and only by auditors', async () => {
    const me = (await worker.get('/api/auth/me')).body;
    const byUser = await auditor.get(`/api/audit?userId=${me.userId}&from=2000-01-01T00:00:00Z`);
    expect(byUser.body.total).toBeGreaterThan(0);
    expect(byUser.body.items.every((e: any) => e.userId === me.userId)).toBe(true);
    const future = await auditor.get('/api/audit?from=2999-01-01T00:00:00Z');
    expect(future.body.total).toBe(0);
    expect((await worker.get('/api/audit')).status).toBe(403);
  });

  it('offers no way to change or delete an audit record', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await auditor.request(method, '/api/audit', {});
      expect(res.status).toBe(404);
    }
  });
});
