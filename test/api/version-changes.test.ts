/**
 * Publishing a new version over HTTP: what still runs on older versions (in-progress documents
 * of a form, running instances of a process), and moving instances to the newer version. Only
 * publishers may ask; every bad input is a 4xx naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBpmn, task } from '../../engine/test/runtime/bpmn-builder.js';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';
import { merge, SAMPLES } from '../support/cts-samples.js';

let t: TestEngine;
let admin: Client;
let advocate: Client;
let supervisor: Client;

const FORM = 'workshop-debrief';
const PROCESS = 'two-step';

/** start -> first -> (second ->) end, every task for program administrators. */
const twoStep = (steps: string[]) => buildBpmn('twoStep', [
  { id: 'start', type: 'startEvent' },
  ...steps.map((id) => ({ id, type: 'userTask' as const, name: id, body: task('program-admin') })),
  { id: 'end', type: 'endEvent' },
], ['start', ...steps, 'end'].slice(1).map((to, i, all) => ({ id: `f${i}`, from: i === 0 ? 'start' : all[i - 1], to })));

beforeAll(async () => {
  t = await startTestEngine();
  admin = await t.login('program.admin@example.org');
  advocate = await t.login('advocate.jones@example.org');
  supervisor = await t.login('scsw.lee@example.org');
});
afterAll(() => t?.stop());

describe('in-progress documents on older form versions', () => {
  it('counts and lists the drafts on older versions; submitted ones no longer count', async () => {
    const poeId = (await advocate.get('/api/cases')).body.items.find((c: any) => c.data.youthLastName === 'Poe')._id;
    const draft = async () => (await advocate.post(`/api/cases/${poeId}/documents`, { form: FORM })).body;
    const [kept, submitted] = [await draft(), await draft()];
    const sent = await advocate.post(`/api/documents/${submitted._id}/submit`, { version: submitted.version, data: merge(submitted.data, SAMPLES[FORM].data), signature: { name: 'Taylor Jones' } });
    expect(sent.status).toBe(200);

    const current = (await admin.get(`/api/definitions/form/${FORM}`)).body;
    const republished = await admin.post(`/api/definitions/form/${FORM}`, { ...current.content, title: `${current.content.title} (revised)` });
    expect(republished.body).toMatchObject({ created: true, definition: { version: current.version + 1 } });
    const later = await draft();
    expect(later.formVersion).toBe(current.version + 1);

    const usage = await admin.get(`/api/definitions/form/${FORM}/in-progress`);
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ key: FORM, latestVersion: current.version + 1, olderThan: current.version + 1, count: 1, truncated: false });
    expect(usage.body.items).toEqual([expect.objectContaining({ _id: kept._id, caseId: poeId, formVersion: current.version, status: 'In Progress' })]);
    expect(usage.body.versions).toEqual([{ version: current.version, count: 1 }, { version: current.version + 1, count: 1 }]);

    expect((await supervisor.get(`/api/definitions/form/${FORM}/in-progress`)).status).toBe(403);
    const bad = await admin.get(`/api/definitions/form/${FORM}/in-progress?olderThan=zero`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toMatch(/olderThan/);
    expect((await admin.get('/api/definitions/form/no-such-form/in-progress')).status).toBe(404);
  });
});

describe('process versions and instance migration', () => {
  it('lists running instances per version, proposes a mapping and migrates them (dry run first)', async () => {
    expect((await admin.post(`/api/definitions/process/${PROCESS}`, { xml: twoStep(['first']) })).status).toBe(200);
    const { runtime, tasks } = t.engine.services;
    const started = await runtime.start({ processKey: PROCESS, startedBy: 'test' });
    expect((await admin.post(`/api/definitions/process/${PROCESS}`, { xml: twoStep(['first', 'second']) })).body.definition.version).toBe(2);

    const open = await admin.get(`/api/processes/${PROCESS}/open-instances`);
    expect(open.body).toMatchObject({ latestVersion: 2, count: 1, versions: [{ version: 1, count: 1 }] });
    expect(open.body.items).toEqual([expect.objectContaining({ _id: started._id, processVersion: 1, waiting: ['first'] })]);

    const proposal = await admin.get(`/api/processes/${PROCESS}/migrations/proposal?from=1&to=2`);
    expect(proposal.body).toMatchObject({ mapping: { start: 'start', first: 'first', end: 'end' }, unmatched: [], instances: 1 });

    const dry = await admin.post(`/api/processes/${PROCESS}/migrations`, { from: 1, to: 2, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, count: 1, blocked: 0, migrated: 0, instances: [{ instanceId: started._id, blockers: [] }] });

    const real = await admin.post(`/api/processes/${PROCESS}/migrations`, { from: 1, to: 2, dryRun: false });
    expect(real.body).toMatchObject({ dryRun: false, migrated: 1 });
    expect((await admin.get(`/api/processes/${PROCESS}/open-instances`)).body).toMatchObject({ count: 0, versions: [{ version: 2, count: 1 }] });
    const audit = await t.engine.services.audit.search({ action: 'process.migrate' });
    expect(audit.items[0]).toMatchObject({ entity: { type: 'process', id: `${PROCESS}@1->2` }, details: { migrated: 1 } });

    // It continues on version 2: after the first task comes the second.
    const first = (await admin.get('/api/tasks')).body.find((x: any) => x.instanceId === started._id);
    expect(first).toMatchObject({ activityId: 'first', processVersion: 2 });
    expect((await admin.post(`/api/tasks/${first._id}/complete`, { decision: 'complete' })).status).toBe(200);
    expect((await tasks.tasks.findOne({ instanceId: started._id, status: 'open' }))).toMatchObject({ activityId: 'second', processVersion: 2 });
  });

  it('refuses a real run while an instance is blocked (409), and bad input naming the field', async () => {
    await admin.post(`/api/definitions/process/${PROCESS}`, { xml: twoStep(['second']) }); // 3: "first" is gone
    const started = await t.engine.services.runtime.start({ processKey: PROCESS, version: 2, startedBy: 'test' });

    const blocked = await admin.post(`/api/processes/${PROCESS}/migrations`, { from: 2, to: 3, dryRun: false });
    expect(blocked.status).toBe(409);
    expect(blocked.body.errors).toEqual([{ path: `/instances/${started._id}`, message: 'first (bpmn:UserTask) has no target in version 3' }]);
    const mapped = await admin.post(`/api/processes/${PROCESS}/migrations`, { from: 2, to: 3, mapping: { first: 'second' }, dryRun: true });
    expect(mapped.body.instances.flatMap((i: any) => i.blockers)).toEqual([]);

    const cases: [unknown, number, string][] = [
      [{ from: 2, to: 3 }, 400, 'dryRun'],
      [{ from: 2, to: 3, dryRun: 'yes' }, 400, 'dryRun'],
      [{ from: 2, to: 3, dryRun: true, mapping: { first: 7 } }, 422, '/mapping/first'],
      [{ from: 2, to: 3, dryRun: true, mapping: { first: ['second'] } }, 400, 'mapping'],
      [{ from: 2, to: 3, dryRun: true, extra: 1 }, 400, 'extra'],
      [{ from: 2, to: 9, dryRun: true }, 422, '/to'],
      [{ from: 3, to: 2, dryRun: true }, 422, '/to'],
      [{ from: 2, to: 3, dryRun: true, mapping: { nowhere: 'second' } }, 422, '/mapping/nowhere'],
    ];
    for (const [body, status, field] of cases) {
      const res = await admin.post(`/api/processes/${PROCESS}/migrations`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.errors.map((e: any) => e.path).join(' '), JSON.stringify(body)).toContain(field);
    }
    expect((await admin.get(`/api/processes/${PROCESS}/migrations/proposal?from=2`)).status).toBe(400);
    expect((await t.engine.services.runtime.get(started._id)).processVersion).toBe(2);
  });

  it('answers 403 to everyone but publishers', async () => {
    for (const res of [
      await supervisor.get(`/api/processes/${PROCESS}/open-instances`),
      await supervisor.get(`/api/processes/${PROCESS}/migrations/proposal?from=1&to=2`),
      await supervisor.post(`/api/processes/${PROCESS}/migrations`, { from: 1, to: 2, dryRun: true }),
    ]) expect(res.status).toBe(403);
  });
});
