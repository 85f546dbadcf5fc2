import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { buildBpmn, service, timer } from './bpmn-builder.js';
import { createHarness, openMatter, seedApproval, type Harness } from './harness.js';

let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await seedApproval(h);
});
afterEach(() => h.destroy());

/** Local wall time in Los Angeles (PST in January: UTC-8). */
const la = (date: string, time: string) => new Date(`${date}T${time}:00-08:00`);

async function submittedForReview() {
  const { tasks, runtime } = h.engine.services;
  const matter = await openMatter(h);
  const instance = await runtime.start({ processKey: 'two-level-approval', caseId: matter._id, startedBy: h.users.worker.userId });
  const submit = (await tasks.listFor(h.users.worker)).find((t) => t.activityId === 'submit')!;
  await tasks.complete(h.users.worker, submit._id, { decision: 'complete' });
  return { matter, instanceId: instance._id };
}

const reminders = async () => h.engine.services.store.collection('outbox').countDocuments({ template: 'reminder' });

describe('durable timers', () => {
  it('stores due times with the instance, none of them in a JavaScript timeout', async () => {
    const { instanceId } = await submittedForReview();
    const saved = await h.engine.services.runtime.get(instanceId);
    const due = Object.fromEntries(saved.timers.map((t) => [t.activityId, new Date(t.dueAt).toISOString()]));
    expect(due).toEqual({ dailyReminder: la('2031-01-07', '08:00').toISOString(), deadline: la('2031-01-13', '09:00').toISOString() });
    expect(new Date(saved.nextTimerAt!).toISOString()).toBe(la('2031-01-07', '08:00').toISOString());
  });

  it('reminds daily while the review is pending and stops once it is done', async () => {
    const { instanceId } = await submittedForReview();
    const { timerScheduler, tasks } = h.engine.services;
    expect((await timerScheduler.runDue()).fired).toBe(0);
    h.clock.set(la('2031-01-07', '08:00'));
    expect((await timerScheduler.runDue()).fired).toBe(1);
    expect(await reminders()).toBe(1);
    h.clock.set(la('2031-01-07', '20:00'));
    expect((await timerScheduler.runDue()).fired).toBe(0);
    h.clock.set(la('2031-01-08', '08:30'));
    expect((await timerScheduler.runDue()).fired).toBe(1);
    expect(await reminders()).toBe(2);

    const review = (await tasks.listFor(h.users.supA1)).find((t) => t.activityId === 'review')!;
    expect(review.status).toBe('open'); // a non-interrupting reminder leaves the task alone
    await tasks.complete(h.users.supA1, review._id, { decision: 'approve' });
    h.clock.set(la('2031-01-10', '09:00'));
    expect((await timerScheduler.runDue()).fired).toBe(0);
    expect(await reminders()).toBe(2);
    const history = (await h.engine.services.runtime.get(instanceId)).history.filter((e) => e.event === 'timer.fired');
    expect(history.map((e) => e.activityId)).toEqual(['dailyReminder', 'dailyReminder']);
  });

  it('escalates when the review deadline passes', async () => {
    const { matter } = await submittedForReview();
    const { timerScheduler, tasks, cases } = h.engine.services;
    h.clock.set(la('2031-01-13', '09:00'));
    const report = await timerScheduler.runDue();
    expect(report.failed).toEqual([]);
    expect((await cases.cases.findOne({ _id: matter._id }))!.status).toBe('Escalated');
    const review = await tasks.tasks.findOne({ activityId: 'review' });
    expect(review!.status).toBe('cancelled');
    expect((await tasks.listFor(h.users.admin)).map((t) => t.activityId)).toEqual(['adminReview']);
    // The clock jumped a week: the missed daily reminders are not replayed, one is sent.
    expect(await reminders()).toBe(1);
  });

  it('fires a timer that fell due while the engine was down, once, after the restart', async () => {
    const { instanceId } = await submittedForReview();
    await h.close();
    h.clock.set(la('2031-01-07', '10:00'));
    await h.open();
    const { timerScheduler, runtime } = h.engine.services;
    expect((await timerScheduler.runDue()).fired).toBe(1);
    expect((await timerScheduler.runDue()).fired).toBe(0);
    expect(await reminders()).toBe(1);
    const saved = await runtime.get(instanceId);
    expect(new Date(saved.nextTimerAt!).toISOString()).toBe(la('2031-01-08', '08:00').toISOString());
  });

  it('fires each timer once with two engine nodes on one store', async () => {
    await submittedForReview();
    await submittedForReview();
    const second = await createEngine(h.config, { clock: h.clock, store: h.engine.services.store });
    try {
      h.clock.set(la('2031-01-07', '08:05'));
      const [a, b] = await Promise.all([h.engine.services.timerScheduler.runDue(), second.services.timerScheduler.runDue()]);
      expect(a.fired + b.fired).toBe(2);
      expect(a.failed).toEqual([]);
      expect(b.failed).toEqual([]);
      expect(await reminders()).toBe(2);
    } finally {
      await second.close();
    }
  });
});

describe('timers bpmn-engine finds expired by real time when it resumes', () => {
  it('fire only when their durable due time comes, through the scheduler, with history', async () => {
    const { instanceId, matter } = await submittedForReview();
    const { runtime, tasks, timerScheduler } = h.engine.services;
    // As if real time had passed every expiry bpmn-engine keeps in its own state while the engine was down.
    const saved = await runtime.instances.findOne({ _id: instanceId });
    const aged = saved!.state!.replace(/"expireAt":"[^"]+"/g, '"expireAt":"2001-01-01T00:00:00.000Z"');
    expect(aged).not.toBe(saved!.state);
    await runtime.instances.updateOne({ _id: instanceId }, { $set: { state: aged } });
    runtime.dropCache();

    h.clock.set(la('2031-01-06', '12:00')); // before either durable due time
    expect((await timerScheduler.runDue()).fired).toBe(0);
    const review = (await tasks.listFor(h.users.supA1)).find((t) => t.activityId === 'review')!;
    await tasks.complete(h.users.supA1, review._id, { decision: 'approve' }); // recovers the engine from the aged state
    const after = await runtime.get(instanceId);
    expect(after.history.filter((e) => e.event === 'timer.fired')).toEqual([]);
    expect(after.waiting.map((w) => w.activityId)).toEqual(['adminReview']);
    expect((await h.engine.services.cases.cases.findOne({ _id: matter._id }))!.status).not.toBe('Escalated');
    expect(await reminders()).toBe(0);
  });
});

describe('a test clock before the real date', () => {
  it('fires a timer at its durable due time, not at once because the real clock passed the date', async () => {
    const { definitions, runtime, timerScheduler, cases } = h.engine.services;
    await definitions.publish('process', 'wait-until', { xml: buildBpmn('waitUntil', [
      { id: 'start', type: 'startEvent' },
      { id: 'until', type: 'intermediateCatchEvent', name: 'Until the 8th', body: timer('timeDate', '2020-01-08T17:00:00Z') },
      { id: 'mark', type: 'serviceTask', name: 'Mark', body: service('setCaseStatus', { status: 'Approved' }) },
      { id: 'end', type: 'endEvent' },
    ], [
      { id: 'f1', from: 'start', to: 'until' },
      { id: 'f2', from: 'until', to: 'mark' },
      { id: 'f3', from: 'mark', to: 'end' },
    ]) }, 'test');
    h.clock.set(new Date('2020-01-06T17:00:00Z')); // years before the real date, which is past the timer's date
    const matter = await openMatter(h);
    const instance = await runtime.start({ processKey: 'wait-until', caseId: matter._id, startedBy: h.users.worker.userId });
    expect(instance.status).toBe('running');
    expect(instance.timers.map((t) => new Date(t.dueAt).toISOString())).toEqual(['2020-01-08T17:00:00.000Z']);
    h.clock.set(new Date('2020-01-07T17:00:00Z'));
    expect((await timerScheduler.runDue()).fired).toBe(0);
    expect((await cases.cases.findOne({ _id: matter._id }))!.status).toBe('New');
    h.clock.set(new Date('2020-01-08T17:00:00Z'));
    expect((await timerScheduler.runDue()).fired).toBe(1);
    expect((await cases.cases.findOne({ _id: matter._id }))!.status).toBe('Approved');
    expect((await runtime.get(instance._id)).history.filter((e) => e.event === 'timer.fired').map((e) => e.activityId)).toEqual(['until']);
  });
});
