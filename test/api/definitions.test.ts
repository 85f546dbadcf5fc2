import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let admin: Client;
let worker: Client;

const form = (extra: Record<string, unknown> = {}) => ({
  title: 'Visit note',
  schema: { type: 'object', properties: { visitDate: { type: 'string', format: 'date', title: 'Visit date' }, ...extra }, required: ['visitDate'] },
  uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/visitDate' }] },
});

beforeAll(async () => {
  t = await startTestEngine();
  admin = await t.login('program.admin@example.org');
  worker = await t.login('csw.garcia@example.org');
});
afterAll(() => t?.stop());

describe('definitions over HTTP', () => {
  it('lists what the start published', async () => {
    const res = await worker.get('/api/definitions');
    expect(res.status).toBe(200);
    const keys = res.body.map((d: any) => `${d.kind}:${d.key}`);
    expect(keys).toEqual(expect.arrayContaining(['caseType:assignment', 'form:csec-referral', 'process:referral-approval', 'lookup:languages']));
  });

  it('publishes numbered versions, idempotently, and diffs them', async () => {
    const first = await admin.post('/api/definitions/form/visit-note', form());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: true, definition: { version: 1 } });
    const same = await admin.post('/api/definitions/form/visit-note', form());
    expect(same.body).toMatchObject({ created: false, definition: { version: 1 } });
    const second = await admin.post('/api/definitions/form/visit-note', form({ notes: { type: 'string', title: 'Notes' } }));
    expect(second.body.definition.version).toBe(2);

    expect((await worker.get('/api/definitions/form/visit-note')).body.version).toBe(2);
    expect((await worker.get('/api/definitions/form/visit-note/versions/1')).body.content.schema.properties.notes).toBeUndefined();
    expect((await worker.get('/api/definitions/form/visit-note/versions')).body.map((v: any) => v.version)).toEqual([1, 2]);
    const diff = await worker.get('/api/definitions/form/visit-note/diff?from=1&to=2');
    expect(diff.status).toBe(200);
    expect(diff.body.added.map((f: any) => f.pointer)).toEqual(['/notes']);
    expect(diff.body.removed).toEqual([]);
  });

  it('refuses an invalid form with precise errors and stores nothing', async () => {
    const bad = form();
    (bad.schema.properties.visitDate as any).type = 'strng';
    bad.uischema.elements.push({ type: 'Control', scope: '#/properties/missing' });
    const res = await admin.post('/api/definitions/form/broken-note', bad);
    expect(res.status).toBe(422);
    const paths = res.body.errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/schema/properties/visitDate/type', '/uischema/elements/1/scope']));
    expect((await worker.get('/api/definitions/form/broken-note')).status).toBe(404);
  });

  it('refuses a BPMN file that cannot be read', async () => {
    const res = await admin.post('/api/definitions/process/broken-flow', { xml: '<not-bpmn' });
    expect(res.status).toBe(422);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it('lets only publisher roles publish', async () => {
    const res = await worker.post('/api/definitions/form/visit-note', form({ x: { type: 'string' } }));
    expect(res.status).toBe(403);
    expect((await worker.get('/api/definitions/form/visit-note')).body.version).toBe(2);
  });

  it('keeps old documents on their form version while new ones take the latest', async () => {
    const caseId = (await worker.get('/api/cases')).body.items[0]._id;
    const v1Doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    const latest = (await worker.get('/api/definitions/form/csec-referral')).body;
    const content = structuredClone(latest.content);
    content.schema.properties.extraNote = { type: 'string', title: 'Extra note' };
    content.schema.required.push('extraNote');
    const published = await admin.post('/api/definitions/form/csec-referral', content);
    expect(published.body.definition.version).toBe(latest.version + 1);
    const v2Doc = (await worker.post(`/api/cases/${caseId}/documents`, { form: 'csec-referral' })).body;
    expect(v1Doc.formVersion).toBe(latest.version);
    expect(v2Doc.formVersion).toBe(latest.version + 1);
    // Each document renders with the form version it is pinned to.
    const renderOf = async (doc: { _id: string }) => {
      const { formVersion } = (await worker.get(`/api/documents/${doc._id}`)).body;
      return (await worker.get(`/api/definitions/form/csec-referral/versions/${formVersion}`)).body.content.schema.properties;
    };
    expect(await renderOf(v1Doc)).not.toHaveProperty('extraNote');
    expect(await renderOf(v2Doc)).toHaveProperty('extraNote');
    // The old draft still validates against its own version: extraNote is unknown to it, not required.
    const data = { referralType: 'FRP Response Only', caseInfo: { ...v1Doc.data.caseInfo, workerName: 'Maria Garcia', workerPhone: '5550101001', workerEmail: 'm@example.org', supervisorName: 'Grace Lee' } };
    const oldSubmit = await worker.post(`/api/documents/${v1Doc._id}/submit`, { version: 1, data, signature: { name: 'Maria Garcia' } });
    expect(oldSubmit.status).toBe(200);
    const newSubmit = await worker.post(`/api/documents/${v2Doc._id}/submit`, { version: 1, data, signature: { name: 'Maria Garcia' } });
    expect(newSubmit.status).toBe(422);
    expect(newSubmit.body.errors.map((e: any) => e.path)).toContain('/data/extraNote');
  });
});
