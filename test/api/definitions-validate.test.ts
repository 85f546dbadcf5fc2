/** The validate-only check the designer runs before publishing, and who may use the designer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let admin: Client;
let worker: Client;

beforeAll(async () => {
  t = await startTestEngine();
  admin = await t.login('program.admin@example.org');
  worker = await t.login('csw.garcia@example.org');
});
afterAll(() => t?.stop());

describe('POST /api/definitions/:kind/:key/validate', () => {
  it('answers valid for the published referral process and stores nothing', async () => {
    const latest = (await admin.get('/api/definitions/process/referral-approval')).body;
    const res = await admin.post('/api/definitions/process/referral-approval/validate', latest.content);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, errors: [] });
    expect((await admin.get('/api/definitions/process/referral-approval')).body.version).toBe(latest.version);
  });

  it('names the element the runtime would refuse (a script task), by its BPMN id', async () => {
    const latest = (await admin.get('/api/definitions/process/referral-approval')).body;
    const xml = String(latest.content.xml).replace(/<bpmn:userTask id="supervisorReview"([^>]*)>/, '<bpmn:scriptTask id="supervisorReview"$1>')
      .replace(/(<bpmn:scriptTask id="supervisorReview"[\s\S]*?)<\/bpmn:userTask>/, '$1</bpmn:scriptTask>');
    expect(xml).toContain('<bpmn:scriptTask id="supervisorReview"');
    const res = await admin.post('/api/definitions/process/referral-approval/validate', { xml });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'supervisorReview', message: expect.stringMatching(/Script tasks cannot run/) })]));
    const publish = await admin.post('/api/definitions/process/referral-approval', { xml });
    expect(publish.status).toBe(422);
    expect((await admin.get('/api/definitions/process/referral-approval')).body.version).toBe(latest.version);
  });

  it('reports form problems by JSON pointer', async () => {
    const res = await admin.post('/api/definitions/form/visit-note/validate', {
      title: 'Visit note',
      schema: { type: 'object', properties: { visitDate: { type: 'strng' } } },
      uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/visitDate' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors.map((e: any) => e.path)).toContain('/schema/properties/visitDate/type');
    expect((await admin.get('/api/definitions/form/visit-note')).status).toBe(404);
  });

  it('refuses an unknown kind or a bad key with 400, and a non-publisher with 403', async () => {
    expect((await admin.post('/api/definitions/widget/visit-note/validate', {})).status).toBe(400);
    expect((await admin.post('/api/definitions/form/Bad_Key/validate', {})).status).toBe(400);
    const refused = await worker.post('/api/definitions/form/visit-note/validate', { title: 'x' });
    expect(refused.status).toBe(403);
  });
});

describe('GET /api/definitions/publishing', () => {
  it('tells a publisher yes and anyone else no', async () => {
    expect((await admin.get('/api/definitions/publishing')).body).toEqual({ allowed: true, roles: ['program-admin'] });
    expect((await worker.get('/api/definitions/publishing')).body).toMatchObject({ allowed: false });
  });
});
