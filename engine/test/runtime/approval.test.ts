import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { createHarness, openMatter, seedApproval, type Harness } from './harness.js';

let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await seedApproval(h);
});
afterEach(() => h.destroy());

async function startOnNewCase() {
  const matter = await openMatter(h);
  const instance = await h.engine.services.runtime.start({ processKey: 'two-level-approval', caseId: matter._id, startedBy: h.users.worker.userId });
  return { matter, instance };
}

const openTask = async (who: string, activityId: string) => {
  const list = await h.engine.services.tasks.listFor(h.users[who]);
  const task = list.find((t) => t.activityId === activityId);
  if (!task) throw new Error(`${who} has no ${activityId} task (has: ${list.map((t) => t.activityId).join(', ') || 'none'})`);
  return task;
};

const act = (who: string, taskId: string, decision: string, reason?: string) =>
  h.engine.services.tasks.complete(h.users[who], taskId, { decision, ...(reason ? { reason } : {}) });

const caseStatus = async (id: string) => (await h.engine.services.cases.cases.findOne({ _id: id }))!.status;

describe('two-level approval', () => {
  it('runs worker -> supervisor -> admin to approval', async () => {
    const { matter, instance } = await startOnNewCase();
    expect(instance.status).toBe('running');
    expect(instance.waiting.map((w) => w.activityId)).toEqual(['submit']);

    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    expect(await caseStatus(matter._id)).toBe('Pending Supervisor');

    const review = await openTask('supA1', 'review');
    expect(review.dueAt?.toISOString()).toBe(new Date(h.clock.now().getTime() + 3 * 86400_000).toISOString());
    // The scope rule: any supervisor of the case's office, not one of another office.
    expect((await h.engine.services.tasks.listFor(h.users.supB)).length).toBe(0);
    await expect(act('supB', review._id, 'approve')).rejects.toMatchObject({ status: 404 });
    await act('supA2', review._id, 'approve');

    await act('admin', (await openTask('admin', 'adminReview'))._id, 'approve');
    const done = await h.engine.services.runtime.get(instance._id);
    expect(done.status).toBe('completed');
    expect(done.waiting).toEqual([]);
    expect(await caseStatus(matter._id)).toBe('Approved');
    const steps = done.history.filter((e) => e.event === 'task.completed').map((e) => `${e.activityId}:${e.decision}:${e.byName}`);
    expect(steps).toEqual(['submit:complete:worker Test', 'review:approve:supA2 Test', 'adminReview:approve:admin Test']);
    expect(done.history.at(-1)?.event).toBe('instance.completed');
  });

  it('loops back to the worker on each rejection, with the reason required and recorded', async () => {
    const { matter, instance } = await startOnNewCase();
    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    const review = await openTask('supA1', 'review');
    await expect(act('supA1', review._id, 'reject')).rejects.toMatchObject({ status: 422, errors: [{ path: '/reason', message: 'A reason is required to reject' }] });
    await expect(act('supA1', review._id, 'maybe')).rejects.toMatchObject({ status: 422, errors: [{ path: '/decision' }] });
    await act('supA1', review._id, 'reject', 'Missing the school report');
    expect(await caseStatus(matter._id)).toBe('Rejected');

    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    await act('supA1', (await openTask('supA1', 'review'))._id, 'approve');
    await act('admin', (await openTask('admin', 'adminReview'))._id, 'reject', 'Wrong office');
    expect(await caseStatus(matter._id)).toBe('Rejected');

    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    await act('supA1', (await openTask('supA1', 'review'))._id, 'approve');
    await act('admin', (await openTask('admin', 'adminReview'))._id, 'approve');
    const done = await h.engine.services.runtime.get(instance._id);
    expect(done.status).toBe('completed');
    const reasons = done.history.filter((e) => e.reason).map((e) => e.reason);
    expect(reasons).toEqual(['Missing the school report', 'Wrong office']);
  });

  it('lets exactly one of two people complete a task; the other learns who acted', async () => {
    await startOnNewCase();
    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    const review = await openTask('supA1', 'review');
    const results = await Promise.allSettled([act('supA1', review._id, 'approve'), act('supA2', review._id, 'reject', 'no')]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toMatchObject({ status: 409 });
    expect(refused[0].reason.message).toMatch(/(supA1|supA2) Test already completed this task/);
    await expect(act('supA1', review._id, 'approve')).rejects.toMatchObject({ status: 409 });
  });

  it('lets a claim hold a task and an authorised role reassign it', async () => {
    await startOnNewCase();
    const { tasks } = h.engine.services;
    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    const review = await openTask('supA1', 'review');
    const claimed = await tasks.claim(h.users.supA1, review._id);
    expect(claimed.assigneeName).toBe('supA1 Test');
    await expect(tasks.claim(h.users.supA2, review._id)).rejects.toMatchObject({ status: 404 });
    expect((await tasks.listFor(h.users.supA2)).length).toBe(0);
    await expect(tasks.reassign(h.users.supA1, review._id, h.users.supA2.userId)).rejects.toMatchObject({ status: 403 });

    const admin = { ...h.users.admin, roles: ['admin', 'program-admin'] };
    await expect(tasks.reassign(admin, review._id, 'nobody')).rejects.toMatchObject({ status: 422 });
    const moved = await tasks.reassign(admin, review._id, h.users.supA2.userId);
    expect(moved.assigneeName).toBe('supA2 Test');
    expect((await tasks.listFor(h.users.supA2, { mine: true })).map((t) => t.activityId)).toEqual(['review']);
    await expect(act('supA1', review._id, 'approve')).rejects.toMatchObject({ status: 404 });
    await act('supA2', review._id, 'approve');
  });

  it('runs many instances of one process at once, each engine service acting for its own instance', async () => {
    // The engines of one process share its serialized BPMN; each must still run its own services.
    const started = await Promise.all(Array.from({ length: 8 }, () => startOnNewCase()));
    const tasks = h.engine.services.tasks;
    const taskOf = async (instanceId: string, activityId: string) => (await tasks.tasks.findOne({ instanceId, activityId, status: 'open' }))!;
    await Promise.all(started.map(async ({ instance }) => act('worker', (await taskOf(instance._id, 'submit'))._id, 'complete')));
    for (const { matter } of started) expect(await caseStatus(matter._id)).toBe('Pending Supervisor');
    // even instances are approved by the supervisor, odd ones rejected, all at once
    await Promise.all(started.map(async ({ instance }, i) => {
      const review = await taskOf(instance._id, 'review');
      return i % 2 === 0 ? act('supA1', review._id, 'approve') : act('supA1', review._id, 'reject', `not yet (${i})`);
    }));
    for (const [i, { matter, instance }] of started.entries()) {
      expect(await caseStatus(matter._id)).toBe(i % 2 === 0 ? 'Pending Supervisor' : 'Rejected');
      const record = await h.engine.services.runtime.get(instance._id);
      expect(record.waiting.map((w) => w.activityId)).toEqual([i % 2 === 0 ? 'adminReview' : 'submit']);
      expect(record.history.filter((e) => e.event === 'task.completed').map((e) => e.reason ?? e.decision)).toEqual(['complete', i % 2 === 0 ? 'approve' : `not yet (${i})`]);
    }
  });

  it('gives instances time-ordered ids, so instances started together are stored side by side', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await startOnNewCase()).instance._id);
    expect(ids.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });

  it('keeps its process version when a newer one is published', async () => {
    const { instance } = await startOnNewCase();
    const { definitions } = h.engine.services;
    const latest = await definitions.latest('process', 'two-level-approval');
    await definitions.publish('process', 'two-level-approval', { xml: latest.content.xml.replace('Worker submits', 'Worker sends') }, 'test');
    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    const after = await h.engine.services.runtime.get(instance._id);
    expect(after.processVersion).toBe(1);
    const fresh = await startOnNewCase();
    expect(fresh.instance.processVersion).toBe(2);
  });

  it('acts on what the store holds when another node moved the instance after this node cached its engine', async () => {
    const { matter, instance } = await startOnNewCase(); // live on this node, waiting at submit
    const { runtime } = h.engine.services;
    const other = await createEngine(h.config, { clock: h.clock, store: h.engine.services.store });
    try {
      const [submit] = instance.waiting;
      const moved = await other.services.runtime.signal(instance._id, submit.executionId, { decision: 'complete' }, { event: 'task.completed', activityId: 'submit', by: 'other node' });
      const review = moved.waiting.find((w) => w.activityId === 'review')!;
      // This node's engine still waits at submit and has never seen the review: the store has it.
      await act('supA1', (await openTask('supA1', 'review'))._id, 'approve');
      const reviewed = await runtime.get(instance._id);
      expect(reviewed.waiting.map((w) => w.activityId)).toEqual(['adminReview']);
      // The other node's engine still waits at the review: completing it again is refused once the store is asked, and nothing is saved.
      await expect(other.services.runtime.signal(instance._id, review.executionId, { decision: 'reject' }, { event: 'task.completed', activityId: 'review', by: 'other node' }))
        .rejects.toMatchObject({ status: 409 });
      expect((await runtime.get(instance._id)).version).toBe(reviewed.version);
      await act('admin', (await openTask('admin', 'adminReview'))._id, 'approve');
      const done = await runtime.get(instance._id);
      expect(done.status).toBe('completed');
      expect(done.history.filter((e) => e.event === 'task.completed').map((e) => e.activityId)).toEqual(['submit', 'review', 'adminReview']);
      expect(await caseStatus(matter._id)).toBe('Approved');
    } finally {
      await other.close();
    }
  });

  it('continues the same way after every live engine is lost', async () => {
    const { matter, instance } = await startOnNewCase();
    const { runtime } = h.engine.services;
    await act('worker', (await openTask('worker', 'submit'))._id, 'complete');
    runtime.dropCache();
    await act('supA1', (await openTask('supA1', 'review'))._id, 'approve');
    runtime.dropCache();
    await act('admin', (await openTask('admin', 'adminReview'))._id, 'approve');
    expect((await runtime.get(instance._id)).status).toBe('completed');
    expect(await caseStatus(matter._id)).toBe('Approved');
  });

  it('runs rejection loops recovered from the store at every step; the saved state holds only the elements at work', async () => {
    const { matter, instance } = await startOnNewCase();
    const { runtime } = h.engine.services;
    const step = async (who: string, activityId: string, decision: string, reason?: string) => {
      runtime.dropCache();
      await act(who, (await openTask(who, activityId))._id, decision, reason);
    };
    await step('worker', 'submit', 'complete');
    await step('supA1', 'review', 'reject', 'Missing the school report');
    await step('worker', 'submit', 'complete');
    await step('supA1', 'review', 'approve');
    await step('admin', 'adminReview', 'reject', 'Wrong office');
    await step('worker', 'submit', 'complete');
    await step('supA1', 'review', 'approve');

    // Waiting at the admin's review: its state is there; idle activities of the diagram are not.
    const saved = JSON.parse((await runtime.instances.findOne({ _id: instance._id }))!.state!);
    const savedIds = new Set<string>();
    JSON.stringify(saved, (key, value) => {
      if (key === 'id' && typeof value === 'string') savedIds.add(value);
      return value;
    });
    expect(savedIds.has('adminReview')).toBe(true);
    expect(savedIds.has('submit')).toBe(false);

    await step('admin', 'adminReview', 'approve');
    const done = await runtime.get(instance._id);
    expect(done.status).toBe('completed');
    expect(await caseStatus(matter._id)).toBe('Approved');
    expect(done.history.filter((e) => e.event === 'task.completed').map((e) => `${e.activityId}:${e.decision}`)).toEqual([
      'submit:complete', 'review:reject', 'submit:complete', 'review:approve', 'adminReview:reject', 'submit:complete', 'review:approve', 'adminReview:approve',
    ]);
  });
});
