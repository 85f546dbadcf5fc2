/**
 * A task says which values its decisions carry (wf:task inputs), and GET /api/tasks/:id/choices
 * resolves the allowed options for the task's case: a lookup's items, or the users a rule names.
 * Publishing refuses an input of an unknown decision or source.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let dcfsAdmin: Client;
let bridgewayAdmin: Client;
let worker: Client;
let admin: Client;

beforeAll(async () => {
  t = await startTestEngine({}, { demoData: path.join(repoRoot, 'forms', 'demo', 'demo-data.json') });
  [dcfsAdmin, bridgewayAdmin, worker, admin] = await Promise.all([
    t.login('csec.admin.dcfs@example.org'), t.login('agency2.admin@example.org'), t.login('csw.garcia@example.org'), t.login('program.admin@example.org'),
  ]);
});
afterAll(() => t?.stop());

const taskNamed = async (client: Client, activityId: string) => ((await client.get('/api/tasks')).body as any[]).find((task) => task.activityId === activityId);

describe('task choices', () => {
  it('offers the lookup items for the value an approval carries', async () => {
    const review = await taskNamed(dcfsAdmin, 'adminReview');
    expect(review.inputs).toEqual([{ decision: 'approve', name: 'advocacyAgency', source: 'lookup:advocacy-agencies' }]);
    const choices = await dcfsAdmin.get(`/api/tasks/${review._id}/choices`);
    expect(choices.status).toBe(200);
    expect(choices.body).toEqual([{
      decision: 'approve', name: 'advocacyAgency', label: 'Advocacy Agencies',
      options: [{ value: 'Harbor Youth Advocates', label: 'Harbor Youth Advocates' }, { value: 'Bridgeway Youth Services', label: 'Bridgeway Youth Services' }],
    }]);
  });

  it("offers only the users the process accepts: the advocates of the case's agency", async () => {
    const assign = await taskNamed(bridgewayAdmin, 'agencyAssigns');
    const choices = await bridgewayAdmin.get(`/api/tasks/${assign._id}/choices`);
    expect(choices.status).toBe(200);
    expect(choices.body).toHaveLength(1);
    expect(choices.body[0]).toMatchObject({ decision: 'assign', name: 'advocateId', label: 'Advocate' });
    expect(choices.body[0].options.map((o: any) => o.label)).toEqual(['Wei Chen']);
    // the offered value is one the decision accepts
    const done = await bridgewayAdmin.post(`/api/tasks/${assign._id}/complete`, { decision: 'assign', data: { advocateId: choices.body[0].options[0].value } });
    expect(done.status).toBe(200);
  });

  it('answers 404 for a task the caller may not act on', async () => {
    const review = await taskNamed(dcfsAdmin, 'adminReview');
    expect((await worker.get(`/api/tasks/${review._id}/choices`)).status).toBe(404);
  });

  it('refuses at publish an input of an unknown decision or source', async () => {
    const xml = await readFile(path.join(repoRoot, 'processes', 'referral-approval.bpmn'), 'utf8');
    const broken = xml
      .replace('inputs="approve:advocacyAgency=lookup:advocacy-agencies"', 'inputs="accept:advocacyAgency=lookup:advocacy-agencies"')
      .replace('inputs="assign:advocateId=users:Advocate where agency = /data/advocacyAgency"', 'inputs="assign:advocateId=somewhere"');
    const res = await admin.post('/api/definitions/process/referral-approval', { xml: broken });
    expect(res.status).toBe(422);
    const messages = res.body.errors.map((e: any) => e.message).join('\n');
    expect(messages).toMatch(/the input "advocacyAgency" belongs to "accept", which is not one of its decisions/);
    expect(messages).toMatch(/the input "advocateId": "somewhere" is not a source of values/);
  });
});
