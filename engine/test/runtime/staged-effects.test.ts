/**
 * What the built-in engine services change (case status, data and people, notifications) is
 * saved with the step that runs them or not at all, and later services of the same step see it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/app.js';
import { buildBpmn, chain, service, task } from './bpmn-builder.js';
import { createHarness, openMatter, seedApproval, type Harness } from './harness.js';

let h: Harness;

beforeEach(async () => {
  h = await createHarness();
  await seedApproval(h);
});
afterEach(() => h.destroy());

const caseOf = async (id: string) => (await h.engine.services.cases.cases.findOne({ _id: id }))!;

describe('staged engine services', () => {
  it('leave nothing behind when a service later in the step refuses it', async () => {
    const { definitions, runtime } = h.engine.services;
    await definitions.publish('process', 'refused', {
      xml: buildBpmn('refused', [
        { id: 'start', type: 'startEvent' },
        { id: 'addAdmin', type: 'serviceTask', name: 'Put the admin on the case', body: service('addCasePerson', { role: 'admin', userId: '=adminId' }) },
        { id: 'note', type: 'serviceTask', name: 'Note the subject', body: service('setCaseData', { field: '/subject', value: 'Changed' }) },
        { id: 'mark', type: 'serviceTask', name: 'Mark', body: service('setCaseStatus', { status: 'No Such Status' }) },
        { id: 'end', type: 'endEvent' },
      ], chain('start', 'addAdmin', 'note', 'mark', 'end')),
    }, 'test');
    const matter = await openMatter(h);
    const before = await caseOf(matter._id);
    await expect(runtime.start({ processKey: 'refused', caseId: matter._id, startedBy: 'test', variables: { adminId: h.users.admin.userId } }))
      .rejects.toMatchObject({ status: 422, errors: [{ path: '/status', message: expect.stringContaining('"No Such Status" is not a status') }] });
    const after = await caseOf(matter._id);
    expect(after.people).toEqual(before.people);
    expect(after.data.subject).toBe('Housing');
    expect(after.version).toBe(before.version);
    expect(await runtime.instances.countDocuments({ caseId: matter._id })).toBe(0);
  });

  it('show later services of a step what earlier ones staged: the person just put on the case is notified', async () => {
    const { definitions, runtime, outbox } = h.engine.services;
    await definitions.publish('process', 'assign-and-tell', {
      xml: buildBpmn('assignAndTell', [
        { id: 'start', type: 'startEvent' },
        { id: 'addAdmin', type: 'serviceTask', name: 'Put the admin on the case', body: service('addCasePerson', { role: 'admin', userId: '=adminId' }) },
        { id: 'mark', type: 'serviceTask', name: 'Mark', body: service('setCaseStatus', { status: 'Pending Supervisor' }) },
        { id: 'tell', type: 'serviceTask', name: 'Tell the admin', body: service('queueNotification', { template: 'reminder', to: 'case:admin' }) },
        { id: 'wait', type: 'userTask', name: 'Admin reviews', body: task('admin') },
        { id: 'end', type: 'endEvent' },
      ], chain('start', 'addAdmin', 'mark', 'tell', 'wait', 'end')),
    }, 'test');
    const matter = await openMatter(h);
    const instance = await runtime.start({ processKey: 'assign-and-tell', caseId: matter._id, startedBy: 'test', variables: { adminId: h.users.admin.userId } });
    const [notice] = await outbox.records.find({ instanceId: instance._id });
    expect(notice.to.map((r: { email: string }) => r.email)).toEqual(['admin@example.org']);
    const stored = await caseOf(matter._id);
    expect(stored.status).toBe('Pending Supervisor');
    expect(stored.people).toContainEqual({ role: 'admin', userId: h.users.admin.userId });
  });

  it('leave nothing behind when the step loses a race with another node', async () => {
    // A service that holds this node's step (after it read the instance) until the test lets it go.
    let reached!: () => void;
    const atHold = new Promise<void>((resolve) => { reached = resolve; });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const other: Engine = await createEngine(h.config, { clock: h.clock, store: h.engine.services.store });
    try {
      h.engine.services.engineServices.register('hold', async () => undefined);
      other.services.engineServices.register('hold', async () => {
        reached();
        await gate;
      });
      await h.engine.services.definitions.publish('process', 'race', {
        xml: buildBpmn('race', [
          { id: 'start', type: 'startEvent' },
          { id: 'decide', type: 'userTask', name: 'Supervisor decides', body: task('supervisor', 'decisions="approve,reject"') },
          { id: 'hold', type: 'serviceTask', name: 'Hold', body: service('hold') },
          { id: 'which', type: 'exclusiveGateway', name: 'Decision?' },
          { id: 'approved', type: 'serviceTask', name: 'Approve', body: service('setCaseStatus', { status: 'Approved' }) },
          { id: 'rejected', type: 'serviceTask', name: 'Reject', body: service('setCaseStatus', { status: 'Rejected' }) },
          { id: 'tellRejected', type: 'serviceTask', name: 'Tell the worker', body: service('queueNotification', { template: 'reminder', to: 'case:worker' }) },
          { id: 'done', type: 'endEvent' },
          { id: 'doneRejected', type: 'endEvent' },
        ], [
          ...chain('start', 'decide', 'hold', 'which'),
          { id: 'yes', from: 'which', to: 'approved', condition: '=decision = "approve"' },
          { id: 'no', from: 'which', to: 'rejected', condition: '=decision = "reject"' },
          ...chain('approved', 'done'),
          ...chain('rejected', 'tellRejected', 'doneRejected'),
        ]),
      }, 'test');
      const matter = await openMatter(h);
      const instance = await h.engine.services.runtime.start({ processKey: 'race', caseId: matter._id, startedBy: 'test' });
      const decide = (await h.engine.services.tasks.tasks.findOne({ instanceId: instance._id, status: 'open' }))!;

      // The other node reads the instance and runs its step up to the hold ...
      const losing = other.services.tasks.complete(h.users.supA2, decide._id, { decision: 'reject', reason: 'Not yet' });
      await atHold;
      // ... while this node decides and saves the step first.
      await h.engine.services.tasks.complete(h.users.supA1, decide._id, { decision: 'approve' });
      release();
      await expect(losing).rejects.toMatchObject({ status: 409, message: expect.stringContaining('supA1 Test already completed this task') });

      expect((await caseOf(matter._id)).status).toBe('Approved');
      expect(await h.engine.services.outbox.records.countDocuments({ instanceId: instance._id })).toBe(0);
      const done = await h.engine.services.runtime.get(instance._id);
      expect(done.status).toBe('completed');
      expect(done.history.filter((e) => e.event === 'task.completed').map((e) => `${e.decision}:${e.byName}`)).toEqual(['approve:supA1 Test']);
    } finally {
      release();
      await other.close();
    }
  });
});
