/**
 * What the document screen reads besides the document: whether the caller may change it now, who
 * changed it last, and its history (the processes it went through with each task's decision and reason).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMES, startApprovals, type Approvals } from '../support/cts-approvals.js';

let a: Approvals;

beforeAll(async () => {
  a = await startApprovals();
});
afterAll(() => a?.stop());

describe('GET /api/documents/:id', () => {
  it('says whether the caller may edit it and who changed it last', async () => {
    const assignment = await a.assignment();
    const advocate = await a.as('advocate');
    const draft = (await advocate.post(`/api/cases/${assignment._id}/documents`, { form: 'advocacy-plan' })).body;
    const mine = await advocate.get(`/api/documents/${draft._id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ mayEdit: true, updatedByName: NAMES.advocate, stage: 'draft' });
    // The CSW sees the case but the case type does not let that role change advocacy plans.
    const csw = await a.as('csw');
    const seen = await csw.get(`/api/documents/${draft._id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.mayEdit).toBe(false);
  });

  it('is not editable once submitted', async () => {
    const assignment = await a.assignment();
    const submitted = await a.submit(assignment._id, 'advocacy-plan');
    expect(submitted.status).toBe(200);
    expect((await a.document(submitted.body._id)).mayEdit).toBe(false);
  });
});

describe('GET /api/documents/:id/history', () => {
  it('lists the process and each task with its decision and reason, oldest first', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, 'advocacy-plan')).body._id;
    const csw = await a.as('csw');
    const [task] = await a.tasks(csw, assignment._id);
    await a.decide(csw, task._id, 'reject', 'Add the school goals');

    const history = await (await a.as('advocate')).get(`/api/documents/${docId}/history`);
    expect(history.status).toBe(200);
    expect(history.body.instances).toEqual([expect.objectContaining({ processKey: 'advocacy-plan-approval', status: 'running' })]);
    expect(history.body.tasks).toEqual([
      expect.objectContaining({ name: task.name, status: 'completed', decision: 'reject', reason: 'Add the school goals', completedByName: 'Maria Garcia' }),
    ]);
    expect(history.body.tasks[0].candidateRoles).toBeUndefined(); // only what the history shows
  });

  it('is empty for a draft that went through no process, and 404 for a document the caller cannot see', async () => {
    const assignment = await a.assignment();
    const advocate = await a.as('advocate');
    const draft = (await advocate.post(`/api/cases/${assignment._id}/documents`, { form: 'safety-plan' })).body;
    expect((await advocate.get(`/api/documents/${draft._id}/history`)).body).toEqual({ instances: [], tasks: [] });
    const stranger = await a.t.login('csw.okafor@example.org');
    const hidden = await stranger.get(`/api/documents/${draft._id}/history`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toMatch(/No document/);
  });
});
