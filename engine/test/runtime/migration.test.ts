/**
 * Instances and tasks stay on the process version they started with; an administrator moves
 * running instances to a newer version with an activity mapping: a dry run says where each
 * lands and what blocks it, the real run moves all or none, and the moved instance continues
 * on the new version's flow (tasks and timers with it).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../src/errors.js';
import { buildBpmn, task, timer, type FlowSpec, type NodeSpec } from './bpmn-builder.js';
import { createHarness, seedApproval, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await seedApproval(h);
});
afterEach(() => h.destroy());

const KEY = 'review-flow';

/** start -> draft -> review (7-day deadline -> escalate) -> [after review...] -> end. */
function reviewFlow(options: { review?: string; reviewType?: NodeSpec['type']; draftType?: NodeSpec['type']; processId?: string; deadline?: string; afterReview?: string[] } = {}): string {
  const review = options.review ?? 'review';
  const after = options.afterReview ?? [];
  const nodes: NodeSpec[] = [
    { id: 'start', type: 'startEvent' },
    { id: 'draft', type: options.draftType ?? 'userTask', name: 'Draft', body: options.draftType ? undefined : task('worker') },
    { id: review, type: options.reviewType ?? 'userTask', name: `Review (${review})`, body: options.reviewType ? undefined : task('supervisor', 'decisions="approve"') },
    ...after.map((id): NodeSpec => ({ id, type: 'userTask', name: id, body: task('admin') })),
    { id: 'escalate', type: 'userTask', name: 'Escalated', body: task('admin') },
    { id: 'end', type: 'endEvent' },
    { id: 'escalated', type: 'endEvent' },
  ];
  const chain = ['draft', review, ...after, 'end'];
  const flows: FlowSpec[] = [
    { id: 'f0', from: 'start', to: 'draft' },
    ...chain.slice(1).map((to, i) => ({ id: `f${i + 1}`, from: chain[i], to })),
    { id: 'fe', from: 'deadline', to: 'escalate' },
    { id: 'fe2', from: 'escalate', to: 'escalated' },
  ];
  return buildBpmn(options.processId ?? 'reviewFlow', nodes, flows, [
    { id: 'deadline', attachedTo: review, interrupting: true, body: timer('timeDuration', options.deadline ?? 'P7D') },
  ]);
}

async function publish(xml: string): Promise<number> {
  const { definition } = await h.engine.services.definitions.publish('process', KEY, { xml }, 'test');
  return definition.version;
}

async function act(who: string, activityId: string, decision = 'complete') {
  const { tasks } = h.engine.services;
  const found = (await tasks.listFor(h.users[who])).find((t) => t.activityId === activityId);
  expect(found, `${who} has ${activityId}`).toBeDefined();
  await tasks.complete(h.users[who], found!._id, { decision });
  return found!;
}

/** An instance of version 1 waiting at the review, with its deadline armed. */
async function waitingAtReview() {
  const instance = await h.engine.services.runtime.start({ processKey: KEY, startedBy: h.users.worker.userId });
  await act('worker', 'draft');
  const saved = await h.engine.services.runtime.get(instance._id);
  expect(saved.waiting.map((w) => w.activityId).sort()).toEqual(['deadline', 'review']);
  return saved;
}

const waitingIds = async (id: string) => (await h.engine.services.runtime.get(id)).waiting.map((w) => w.activityId).filter((a) => a !== 'deadline').sort();

describe('version pinning', () => {
  it('keeps a running instance and its tasks on the version it started with; new starts take the latest', async () => {
    expect(await publish(reviewFlow())).toBe(1);
    const old = await waitingAtReview();
    expect(await publish(reviewFlow({ afterReview: ['signoff'] }))).toBe(2);
    const { runtime, tasks } = h.engine.services;

    const reviewTask = (await tasks.listFor(h.users.supA1)).find((t) => t.instanceId === old._id)!;
    expect(reviewTask.processVersion).toBe(1);
    await act('supA1', 'review', 'approve');
    const done = await runtime.get(old._id);
    expect(done.processVersion).toBe(1);
    expect(done.status).toBe('completed'); // version 1 ends after the review; version 2 would ask for a sign-off

    const fresh = await runtime.start({ processKey: KEY, startedBy: h.users.worker.userId });
    expect(fresh.processVersion).toBe(2);
    const draft = (await tasks.listFor(h.users.worker)).find((t) => t.instanceId === fresh._id)!;
    expect(draft.processVersion).toBe(2);
  });
});

describe('instance migration', () => {
  it('proposes the activities of the same id and names those with none', async () => {
    await publish(reviewFlow());
    await waitingAtReview();
    await publish(reviewFlow({ review: 'supervisorReview' }));
    const proposal = await h.engine.services.migrations.proposal(KEY, 1, 2);
    expect(proposal.mapping).toMatchObject({ start: 'start', draft: 'draft', review: null, deadline: 'deadline', escalate: 'escalate', end: 'end' });
    expect(proposal.unmatched).toEqual(['review']);
    expect(proposal.instances).toBe(1);
  });

  it('moves a waiting instance with its task and timer, and it continues on the new version', async () => {
    await publish(reviewFlow());
    const old = await waitingAtReview();
    await publish(reviewFlow({ afterReview: ['signoff'] }));
    const { migrations, runtime, tasks } = h.engine.services;
    const openTask = (await tasks.tasks.find({ instanceId: old._id, status: 'open' }))[0];

    const dry = await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: true, by: 'admin' });
    expect(dry).toMatchObject({ count: 1, blocked: 0, migrated: 0 });
    expect(dry.instances[0].activities).toEqual(expect.arrayContaining([
      { activityId: 'review', type: 'bpmn:UserTask', targetId: 'review', targetType: 'bpmn:UserTask' },
      { activityId: 'deadline', type: 'bpmn:BoundaryEvent', targetId: 'deadline', targetType: 'bpmn:BoundaryEvent' },
    ]));
    expect(dry.instances[0].tasks).toEqual([{ taskId: openTask._id, activityId: 'review', targetId: 'review' }]);
    expect(dry.instances[0].timers).toEqual([expect.objectContaining({ activityId: 'deadline', targetId: 'deadline', dueAt: old.timers[0].dueAt })]);
    expect((await runtime.get(old._id)).processVersion).toBe(1); // a dry run saves nothing

    const report = await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: false, by: h.users.admin.userId });
    expect(report).toMatchObject({ count: 1, blocked: 0, migrated: 1 });
    const moved = await runtime.get(old._id);
    expect(moved).toMatchObject({ processVersion: 2, version: old.version + 1 });
    expect(moved.timers).toEqual(old.timers); // the deadline keeps its due time
    expect(moved.history.at(-1)).toMatchObject({ event: 'instance.migrated', fromVersion: 1, toVersion: 2, by: h.users.admin.userId });
    expect(await tasks.tasks.findOne({ _id: openTask._id })).toMatchObject({ processVersion: 2, activityId: 'review', status: 'open', version: openTask.version + 1 });

    await act('supA1', 'review', 'approve');
    expect(await waitingIds(old._id)).toEqual(['signoff']); // version 2's flow: a sign-off after the review
    const signoff = (await tasks.listFor(h.users.admin)).find((t) => t.instanceId === old._id)!;
    expect(signoff).toMatchObject({ activityId: 'signoff', processVersion: 2 });
    await act('admin', 'signoff');
    expect((await runtime.get(old._id)).status).toBe('completed');
  });

  it('a moved timer fires on the new version', async () => {
    await publish(reviewFlow());
    const old = await waitingAtReview();
    await publish(reviewFlow({ afterReview: ['signoff'] }));
    const { migrations, runtime } = h.engine.services;
    await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: false, by: 'admin' });
    runtime.dropCache(); // as another node would: recover from the store
    h.clock.set(new Date(old.timers[0].dueAt.getTime() + 1000));
    expect(await runtime.fireTimer(old._id, old.timers[0].executionId)).toBe(true);
    expect(await waitingIds(old._id)).toEqual(['escalate']);
    expect((await h.engine.services.tasks.tasks.findOne({ instanceId: old._id, activityId: 'review' }))!.status).toBe('cancelled');
  });

  it('follows a mapping to a renamed activity, renaming the task too', async () => {
    await publish(reviewFlow());
    const old = await waitingAtReview();
    // The new version's process (and definitions) id differs too, as a modeller may rename it.
    await publish(reviewFlow({ review: 'supervisorReview', afterReview: ['archive'], processId: 'supervisedReview' }));
    const { migrations, runtime, tasks } = h.engine.services;

    const unmapped = await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: true, by: 'admin' });
    expect(unmapped.instances[0].blockers).toEqual(expect.arrayContaining([
      { activityId: 'review', reason: 'review (bpmn:UserTask) has no target in version 2' },
      { activityId: 'deadline', reason: 'deadline is attached to review, which maps to nothing, but deadline is attached to supervisorReview' },
    ]));

    const report = await migrations.migrate({ processKey: KEY, from: 1, to: 2, mapping: { review: 'supervisorReview' }, dryRun: false, by: 'admin' });
    expect(report.migrated).toBe(1);
    const moved = await runtime.get(old._id);
    expect(moved.waiting.map((w) => w.activityId).sort()).toEqual(['deadline', 'supervisorReview']);
    const renamed = await tasks.tasks.findOne({ instanceId: old._id, status: 'open' });
    expect(renamed).toMatchObject({ activityId: 'supervisorReview', name: 'Review (supervisorReview)', processVersion: 2 });
    await act('supA1', 'supervisorReview', 'approve');
    expect(await waitingIds(old._id)).toEqual(['archive']);
  });

  it('names what blocks an instance: another kind of element, a changed timer, no target', async () => {
    await publish(reviewFlow());
    await waitingAtReview();
    await publish(reviewFlow({ deadline: 'P10D' })); // 2
    await publish(reviewFlow({ review: 'checked', reviewType: 'receiveTask' })); // 3
    const { migrations } = h.engine.services;

    const timerChanged = await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: true, by: 'admin' });
    expect(timerChanged.blocked).toBe(1);
    expect(timerChanged.instances[0].blockers).toEqual([{ activityId: 'deadline', reason: 'the timer of deadline (timeDuration P7D) differs in deadline (timeDuration P10D)' }]);

    const otherKind = await migrations.migrate({ processKey: KEY, from: 1, to: 3, mapping: { review: 'checked' }, dryRun: true, by: 'admin' });
    expect(otherKind.instances[0].blockers).toContainEqual({ activityId: 'review', reason: 'the waiting user task review maps to checked, a bpmn:ReceiveTask, not a user task' });

    const dropped = await migrations.migrate({ processKey: KEY, from: 1, to: 2, mapping: { review: null }, dryRun: true, by: 'admin' });
    expect(dropped.instances[0].blockers).toContainEqual({ activityId: 'review', reason: 'review (bpmn:UserTask) has no target in version 2' });
  });

  it('moves all instances or none: one blocked instance keeps every instance where it was', async () => {
    await publish(reviewFlow());
    const atReview = await waitingAtReview();
    const atDraft = await h.engine.services.runtime.start({ processKey: KEY, startedBy: h.users.worker.userId });
    await publish(reviewFlow({ afterReview: ['signoff'], draftType: 'receiveTask' }));
    const { migrations, runtime, tasks } = h.engine.services;

    const dry = await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: true, by: 'admin' });
    expect(dry).toMatchObject({ count: 2, blocked: 1 });
    expect(dry.instances.find((i) => i.instanceId === atReview._id)!.blockers).toEqual([]);

    const refused = await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: false, by: 'admin' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toBe('1 of 2 instances cannot move to version 2; nothing was migrated');
    expect((refused as ConflictError).errors).toEqual([{ path: `/instances/${atDraft._id}`, message: 'the waiting user task draft maps to draft, a bpmn:ReceiveTask, not a user task' }]);
    for (const id of [atReview._id, atDraft._id]) expect((await runtime.get(id)).processVersion).toBe(1);
    expect((await runtime.get(atReview._id)).version).toBe(atReview.version);
    expect((await tasks.tasks.find({ processVersion: 2 })).length).toBe(0);
  });

  it('saves nothing when an instance moves on while the migration is being planned', async () => {
    await publish(reviewFlow());
    const moving = await waitingAtReview();
    const idle = await h.engine.services.runtime.start({ processKey: KEY, startedBy: h.users.worker.userId });
    await publish(reviewFlow({ afterReview: ['signoff'] }));
    const { migrations, runtime, tasks } = h.engine.services;
    // The supervisor decides between the plan (which proves each instance on the new version) and its save.
    const recover = runtime.recoverDetached.bind(runtime);
    let decided = false;
    runtime.recoverDetached = async (doc) => {
      if (!decided) {
        decided = true;
        await act('supA1', 'review', 'approve');
      }
      return recover(doc);
    };
    const refused = await migrations.migrate({ processKey: KEY, from: 1, to: 2, dryRun: false, by: 'admin' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toMatch(/changed while the migration was saved; nothing was migrated/);
    expect(await runtime.get(moving._id)).toMatchObject({ processVersion: 1, status: 'completed' }); // went on as version 1 says
    expect((await runtime.get(idle._id)).processVersion).toBe(1);
    expect(await tasks.tasks.countDocuments({ processVersion: 2 })).toBe(0);
    expect((await runtime.history.find({ instanceId: idle._id })).flatMap((r) => r.events).some((e) => e.event === 'instance.migrated')).toBe(false);
  });

  it('refuses versions that do not exist or are not newer, and a mapping naming unknown activities', async () => {
    await publish(reviewFlow());
    await publish(reviewFlow({ afterReview: ['signoff'] }));
    const { migrations } = h.engine.services;
    const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ValidationError);
    expect((await refusal(migrations.migrate({ processKey: KEY, from: 1, to: 5, dryRun: true, by: 'a' })))!.errors).toEqual([{ path: '/to', message: 'version 5 of "review-flow" does not exist' }]);
    expect((await refusal(migrations.migrate({ processKey: KEY, from: 2, to: 1, dryRun: true, by: 'a' })))!.errors).toEqual([{ path: '/to', message: 'must be greater than from (2)' }]);
    expect((await refusal(migrations.proposal(KEY, 9, 10)))!.errors).toEqual([{ path: '/from', message: 'version 9 of "review-flow" does not exist' }]);
    const badMapping = await refusal(migrations.migrate({ processKey: KEY, from: 1, to: 2, mapping: { nope: 'review', review: 'gone' }, dryRun: true, by: 'a' }));
    expect(badMapping).toBeInstanceOf(ValidationError);
    expect(badMapping!.errors).toEqual([
      { path: '/mapping/nope', message: 'version 1 has no activity "nope"' },
      { path: '/mapping/review', message: 'version 2 has no activity "gone"' },
    ]);
  });
});
