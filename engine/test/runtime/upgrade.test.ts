/** Instances saved by the earlier runtime (history inside the instance, state as an object) carry on after an upgrade. */
import { afterEach, expect, it } from 'vitest';
import { createHarness, openMatter, seedApproval, type Harness } from './harness.js';

let h: Harness;
afterEach(() => h.destroy());

it('moves legacy history to its own collection, keeps the state and finishes the instance', async () => {
  h = await createHarness();
  await seedApproval(h);
  const { runtime, store } = h.engine.services;
  const matter = await openMatter(h);
  const started = await runtime.start({ processKey: 'two-level-approval', caseId: matter._id, startedBy: h.users.worker.userId });
  const before = await runtime.get(started._id);
  // Rewrite it as the earlier runtime stored it.
  await runtime.instances.updateOne({ _id: started._id }, { $set: { state: JSON.parse(before.state!), history: before.history } });
  await runtime.history.deleteMany({ instanceId: started._id });
  await store.collection('migrations').deleteMany({});
  await h.close();
  await h.open();

  const upgraded = await h.engine.services.runtime.get(started._id);
  expect(typeof upgraded.state).toBe('string');
  expect(upgraded.history).toEqual(before.history);
  expect(await h.engine.services.runtime.instances.findOne({ _id: started._id, history: { $exists: true } })).toBeNull();

  const act = async (who: string, activityId: string, decision: string) => {
    const task = (await h.engine.services.tasks.listFor(h.users[who])).find((t) => t.activityId === activityId);
    expect(task, `${who} has ${activityId}`).toBeDefined();
    await h.engine.services.tasks.complete(h.users[who], task!._id, { decision });
  };
  await act('worker', 'submit', 'complete');
  await act('supA1', 'review', 'approve');
  await act('admin', 'adminReview', 'approve');
  const done = await h.engine.services.runtime.get(started._id);
  expect(done.status).toBe('completed');
  expect(done.history.slice(0, before.history.length)).toEqual(before.history);
  expect(done.history.filter((e) => e.event === 'task.completed').map((e) => e.activityId)).toEqual(['submit', 'review', 'adminReview']);
});

it("replaces the earlier task indexes (executionId alone, instanceId alone) with one on both, and tasks carry on", async () => {
  h = await createHarness();
  await seedApproval(h);
  const matter = await openMatter(h);
  await h.engine.services.runtime.start({ processKey: 'two-level-approval', caseId: matter._id, startedBy: h.users.worker.userId });
  // Put back the indexes an earlier version made.
  const tasks = () => h.engine.services.store.collection('tasks');
  const keys = async () => (await tasks().listIndexes()).map((index) => ({ key: index.key, unique: index.unique }));
  const current = await keys();
  await tasks().dropIndex((await tasks().listIndexes()).find((index) => 'executionId' in index.key)!.name);
  await tasks().createIndex({ key: { executionId: 1 }, unique: true });
  await tasks().createIndex({ key: { instanceId: 1 } });
  expect((await keys()).length).toBe(current.length + 1);
  await h.close();
  await h.open();

  expect(await keys()).toEqual(expect.arrayContaining(current));
  expect((await keys()).length).toBe(current.length);
  expect(current).toContainEqual({ key: { instanceId: 1, executionId: 1 }, unique: true });
  const submit = (await h.engine.services.tasks.listFor(h.users.worker)).find((t) => t.activityId === 'submit');
  await h.engine.services.tasks.complete(h.users.worker, submit!._id, { decision: 'complete' });
  expect((await h.engine.services.tasks.listFor(h.users.supA1)).map((t) => t.activityId)).toContain('review');
});
