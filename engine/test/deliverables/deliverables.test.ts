/**
 * Deliverables of a generic case type on the real embedded store with a test clock: the
 * `deliverables` block's publish checks, dates from an anchor (durations and business-day FEEL),
 * recomputation when a process service sets the anchor, status read from the Clock by a second
 * node and after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { validateDeliverables } from '../../src/deliverables/deliverable-config.js';
import type { BatchWrite } from '../../src/store/types.js';
import { MATTER, createHarness, seedApproval, type Harness } from '../runtime/harness.js';

const CASE_TYPE = {
  ...MATTER,
  schema: {
    type: 'object',
    properties: { ...MATTER.schema.properties, openedOn: { type: 'string', format: 'date' }, closedOn: { type: 'string', format: 'date' }, urgent: { type: 'boolean' } },
  },
  deliverables: [
    { key: 'intake', title: 'Intake', form: 'intake', anchor: '/data/openedOn', due: 'P10D', alertBefore: 'P2D', when: '=case.data.urgent = true' },
    { key: 'plan', title: 'Plan', form: 'plan', anchor: '/data/openedOn', opens: 'P20D', due: 'P30D', after: 'intake' },
    { key: 'closing', title: 'Closing', form: 'closing', anchor: '/data/closedOn', due: '=add business days(anchor, 3)', alertBefore: 'P1D' },
  ],
};

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
  await seedApproval(h);
  const published = await h.engine.services.definitions.publish('caseType', 'dated-matter', CASE_TYPE, 'test');
  expect(published.created).toBe(true);
});
afterAll(() => h?.destroy());

describe('the deliverables block at publish', () => {
  const base = () => structuredClone(CASE_TYPE);

  it('accepts the block above and a case type without one', () => {
    expect(validateDeliverables(base())).toEqual([]);
    expect(validateDeliverables(MATTER)).toEqual([]);
  });

  it('names each malformed field by JSON pointer', () => {
    const content = base() as any;
    content.deliverables[0].anchor = '/number';
    content.deliverables[0].opens = '=add business days(anchor';
    content.deliverables[1].after = 'plan';
    content.deliverables[1].optional = 'yes';
    content.deliverables[2].form = 'Closing Report';
    content.deliverables[2].anchor = '/data/nowhere';
    delete content.deliverables[2].due;
    expect(validateDeliverables(content).map((p) => p.path)).toEqual([
      '/deliverables/0/anchor', '/deliverables/0/opens', '/deliverables/1/after', '/deliverables/1/optional',
      '/deliverables/2/form', '/deliverables/2/anchor', '/deliverables/2/due',
    ]);
    expect(validateDeliverables({ ...base(), deliverables: { intake: {} } }).map((p) => p.path)).toEqual(['/deliverables']);
  });

  it('is refused by the definition service, naming the field', async () => {
    const content = base() as any;
    content.deliverables[1].due = 'P1DT2H';
    await expect(h.engine.services.definitions.publish('caseType', 'broken-matter', content, 'test')).rejects.toMatchObject({
      errors: [{ path: '/deliverables/1/due', message: expect.stringMatching(/whole days/) }],
    });
  });
});

describe('deliverable records', () => {
  let caseId: string;

  it('computes the dates from the anchor, a business-day deadline across a weekend and a holiday included', async () => {
    const { cases, deliverables } = h.engine.services;
    // START is Monday 2031-01-06; the harness calendar has a holiday on Monday 2031-01-20.
    const created = await cases.create(h.users.worker, {
      caseType: 'dated-matter', data: { subject: 'Housing', office: 'A', openedOn: '2031-01-06', closedOn: '2031-01-16', urgent: true },
      people: [{ role: 'worker', userId: h.users.worker.userId }],
    });
    caseId = created._id;
    const byKey = Object.fromEntries((await deliverables.forCase(h.users.worker, caseId)).map((d) => [d.key, d]));
    expect(byKey.intake).toMatchObject({ opensDate: '2031-01-06', alertDate: '2031-01-14', dueDate: '2031-01-16', status: 'open' });
    expect(byKey.plan).toMatchObject({ opensDate: '2031-01-26', dueDate: '2031-02-05', blockedBy: 'intake', status: 'upcoming' });
    // Thursday the 16th + 3 business days: Friday 17, (weekend, holiday Monday 20) Tuesday 21, Wednesday 22.
    expect(byKey.closing).toMatchObject({ opensDate: '2031-01-16', dueDate: '2031-01-22', status: 'upcoming' });
    expect(byKey.intake.overdueAt?.toISOString()).toBe('2031-01-17T08:00:00.000Z'); // midnight in Los Angeles
  });

  it('reads the same status on a second node and after a restart, from the stored dates and the clock', async () => {
    h.clock.set('2031-01-17T08:00:00Z');
    const second = await createEngine(h.config, { clock: h.clock, store: h.engine.services.store });
    try {
      expect((await second.services.deliverables.summaries([caseId])).get(caseId)).toMatchObject({ overdue: 1 });
    } finally {
      await second.close();
    }
    await h.close();
    await h.open();
    const summary = (await h.engine.services.deliverables.summaries([caseId])).get(caseId);
    // The intake fell overdue at midnight county time; the closing report's alert starts on the 21st.
    expect(summary).toMatchObject({ overdue: 1, alerts: 0, nextDueDate: '2031-01-16' });
  });

  it('recomputes when a process service sets the anchor', async () => {
    // As the runtime runs a service: its staged writes stored in one batch, then its after-commit work.
    const setCaseData = h.engine.services.engineServices.get('setCaseData')!;
    const staged: BatchWrite[] = [];
    const afterCommit: (() => Promise<unknown>)[] = [];
    await setCaseData({
      instanceId: 'i', processKey: 'p', caseId, activityId: 'a', executionId: 'e', variables: {},
      stage: (write) => staged.push(write), afterCommit: (work) => afterCommit.push(work), scope: new Map(),
    }, { field: '/closedOn', value: '2031-02-03' });
    expect((await h.engine.services.deliverables.records.findOne({ caseId, key: 'closing' }))?.anchorDate).not.toBe('2031-02-03'); // nothing stored yet
    await h.engine.services.store.writeAtomically(staged);
    for (const work of afterCommit) await work();
    const stored = await h.engine.services.deliverables.records.findOne({ caseId, key: 'closing' });
    expect(stored).toMatchObject({ anchorDate: '2031-02-03', dueDate: '2031-02-06' });
  });

  it('drops what the condition no longer requires, and keeps the records of other cases apart', async () => {
    const { cases, deliverables } = h.engine.services;
    const current = await cases.cases.findOne({ _id: caseId });
    await cases.updateData(h.users.worker, caseId, { ...current!.data, urgent: false }, current!.version);
    const byKey = Object.fromEntries((await deliverables.forCase(h.users.worker, caseId)).map((d) => [d.key, d]));
    expect(byKey.intake.status).toBe('not-required');
    // Its predecessor is not required, so the plan is no longer held back.
    expect(byKey.plan.blockedBy).toBeNull();
  });
});
