import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../engine/src/store/ids.js';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let worker: Client;
let supervisor: Client;
let otherWorker: Client;

beforeAll(async () => {
  t = await startTestEngine();
  worker = await t.login('csw.garcia@example.org');
  supervisor = await t.login('scsw.lee@example.org');
  otherWorker = await t.login('csw.okafor@example.org');
});
afterAll(() => t?.stop());

describe('tasks over HTTP', () => {
  it('puts the submitted demo referral in the supervisor inbox, and only there', async () => {
    const inbox = await supervisor.get('/api/tasks');
    expect(inbox.status).toBe(200);
    expect(inbox.body.map((task: any) => task.activityId)).toEqual(['supervisorReview']);
    expect(inbox.body[0]).toMatchObject({ decisions: ['approve', 'reject'], reasonRequiredOn: ['reject'], status: 'open' });
    expect((await otherWorker.get('/api/tasks')).body).toEqual([]);
    expect((await otherWorker.get(`/api/tasks/${inbox.body[0]._id}`)).status).toBe(404);
  });

  it("lists a supervisor's task behind more than a thousand older open tasks of the same role on cases they do not see", async () => {
    const [mine] = (await supervisor.get('/api/tasks')).body;
    const { tasks } = t.engine.services;
    const own = (await tasks.tasks.findOne({ _id: mine._id }))!;
    const elsewhere = (await t.engine.services.cases.cases.findOne({ 'data.dcfsOffice': 'Harbor' }))!;
    expect(elsewhere).toBeTruthy();
    const others = Array.from({ length: 1200 }, (_, i) => ({
      ...own, _id: newId(), instanceId: newId(), executionId: `supervisorReview_other_${i}`, caseId: elsewhere._id, createdAt: new Date(own.createdAt.getTime() - 3600_000 - i * 1000),
    }));
    await tasks.tasks.insertMany(others);
    try {
      expect((await supervisor.get('/api/tasks')).body.map((task: any) => task._id)).toEqual([mine._id]);
      // The program manager, whom the rule does not name, sees none of them.
      expect((await (await t.login('cpm.wilson@example.org')).get('/api/tasks')).body).toEqual([]);
    } finally {
      await tasks.tasks.deleteMany({ _id: { $in: others.map((o) => o._id) } });
    }
  });

  it('requires a reason to reject, then sends the referral back to its worker', async () => {
    const [task] = (await supervisor.get('/api/tasks')).body;
    const noReason = await supervisor.post(`/api/tasks/${task._id}/complete`, { decision: 'reject' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toEqual([{ path: '/reason', message: 'A reason is required to reject' }]);
    const rejected = await supervisor.post(`/api/tasks/${task._id}/complete`, { decision: 'reject', reason: 'Add the caregiver phone' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'completed', decision: 'reject', reason: 'Add the caregiver phone', completedByName: 'Grace Lee' });
    const again = await supervisor.post(`/api/tasks/${task._id}/complete`, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/Grace Lee already completed this task/);

    const workerInbox = (await worker.get('/api/tasks')).body;
    expect(workerInbox.map((x: any) => x.activityId)).toEqual(['workerRevises']);
    const instance = await worker.get(`/api/instances/${task.instanceId}`);
    expect(instance.status).toBe(200);
    expect(instance.body.state).toBeUndefined();
    expect(instance.body.history.filter((e: any) => e.event === 'task.completed')).toEqual([
      expect.objectContaining({ activityId: 'supervisorReview', decision: 'reject', reason: 'Add the caregiver phone', byName: 'Grace Lee' }),
    ]);
    expect((await otherWorker.get(`/api/instances/${task.instanceId}`)).status).toBe(404);
  });

  it('answers one of two simultaneous decisions with 409 naming who acted', async () => {
    const [revise] = (await worker.get('/api/tasks')).body;
    const doc = (await worker.get(`/api/documents/${revise.documentId}`)).body;
    expect(doc.stage).toBe('draft'); // the rejection reopened the referral for changes
    expect((await worker.post(`/api/documents/${doc._id}/submit`, { version: doc.version, data: doc.data, signature: { name: 'Maria Garcia' } })).status).toBe(200);
    expect((await worker.post(`/api/tasks/${revise._id}/complete`, { decision: 'resubmit' })).status).toBe(200);
    const [review] = (await supervisor.get('/api/tasks')).body;
    const secondSupervisor = await t.login('scsw.lee@example.org');
    const [a, b] = await Promise.all([
      supervisor.post(`/api/tasks/${review._id}/complete`, { decision: 'approve' }),
      secondSupervisor.post(`/api/tasks/${review._id}/complete`, { decision: 'reject', reason: 'late' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.message).toMatch(/Grace Lee already completed this task/);
  });
});
