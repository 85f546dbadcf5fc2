/**
 * The assignment's deliverables (forms/assignment.case.json `deliverables`) through the HTTP API,
 * with a test clock: due days from the assignment date, a business-day deadline across a weekend
 * and a county holiday (processes/business-calendar.json), on-time and late submission, task
 * alert and overdue as time moves, phases opening in order, FRP and non-FRP referrals, a changed
 * assignment date, and access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../engine/src/runtime/time/index.js';
import { loadConfig } from '../../engine/src/config.js';
import { startTestEngine, type Client, type TestEngine } from '../support/engine.js';
import { SAMPLES, merge } from '../support/cts-samples.js';

// County time is America/Los_Angeles (UTC-8 in winter, UTC-7 from mid-March).
const clock = new TestClock('2027-03-01T17:00:00Z');
let t: TestEngine;
let worker: Client;
let admin: Client;
let advocate: Client;
let otherAdvocate: Client;
let advocateId: string;
let workerId: string;

const youth = { youthFirstName: 'Robin', youthLastName: 'Example', dob: '2011-05-06', language: 'English', leadAgency: 'DCFS', advocacyAgency: 'Harbor Youth Advocates' };

beforeAll(async () => {
  // Sessions outlive the months the clock jumps over.
  const sessions = { ...loadConfig({}).sessions, idleMinutes: 2_000_000, absoluteHours: 40_000 };
  t = await startTestEngine({ sessions }, { clock });
  worker = await t.login('csw.garcia@example.org');
  admin = await t.login('csec.admin.dcfs@example.org');
  advocate = await t.login('advocate.jones@example.org');
  otherAdvocate = await t.login('advocate.chen@example.org');
  advocateId = (await advocate.get('/api/auth/me')).body.userId;
  workerId = (await worker.get('/api/auth/me')).body.userId;
});
afterAll(() => t?.stop());

async function openCase(data: Record<string, unknown>) {
  const res = await worker.post('/api/cases', {
    caseType: 'assignment',
    data: { ...youth, ...data },
    people: [{ role: 'CSW', userId: workerId }, { role: 'Advocate', userId: advocateId }],
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function deliverables(caseId: string, client: Client = advocate): Promise<Record<string, any>> {
  const res = await client.get(`/api/cases/${caseId}/deliverables`);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.map((d: any) => [d.key, d]));
}

async function submit(caseId: string, form: string, data: Record<string, unknown> = {}) {
  const draft = await advocate.post(`/api/cases/${caseId}/documents`, { form });
  expect(draft.status).toBe(201);
  const res = await advocate.post(`/api/documents/${draft.body._id}/submit`, {
    version: draft.body.version, data: merge(draft.body.data, { ...SAMPLES[form].data, ...data }), signature: { name: 'Taylor Jones' },
  });
  expect(res.status).toBe(200);
  return res.body;
}

/** Sets the clock to a wall time in Los Angeles (`2027-03-15T23:30` and the offset in force). */
function at(localIso: string): void {
  clock.set(localIso);
}

describe('deliverable due days from the assignment date', () => {
  let caseId: string;

  beforeAll(async () => {
    at('2027-03-01T09:00:00-08:00');
    caseId = (await openCase({ assignmentDate: '2027-03-01', referralType: 'Ongoing Advocacy Services' }))._id;
  });

  it('computes every window and due day from the configured day counts', async () => {
    const d = await deliverables(caseId);
    const window = (key: string) => [d[key].opensDate, d[key].dueDate];
    expect(Object.keys(d)).toEqual([
      'frp-intake', 'safety-plan', 'strengths-needs-assessment', 'advocacy-plan-1', 'advocacy-plan-2', 'six-month-review',
      'advocacy-plan-3', 'extension-1', 'extension-2', 'termination-report',
    ]);
    expect(window('safety-plan')).toEqual(['2027-03-01', '2027-03-15']); // 14 days
    expect(window('strengths-needs-assessment')).toEqual(['2027-03-01', '2027-03-31']); // 30 days
    expect(window('advocacy-plan-1')).toEqual(['2027-03-01', '2027-03-31']); // within 30 days
    expect(window('advocacy-plan-2')).toEqual(['2027-06-29', '2027-07-13']); // days 120-134
    expect(window('six-month-review')).toEqual(['2027-08-28', '2027-09-11']); // days 180-194
    expect(window('advocacy-plan-3')).toEqual(['2027-12-26', '2028-01-09']); // days 300-314
    expect(window('extension-1')).toEqual(['2028-01-25', '2028-02-09']); // days 330-345
    expect(window('extension-2')).toEqual(['2028-04-24', '2028-05-09']); // days 420-435
    expect(d['safety-plan'].alertDate).toBe('2027-03-12');
    // No termination date yet: the Termination Report has no dates.
    expect(d['termination-report']).toMatchObject({ anchorDate: null, dueDate: null, status: 'upcoming' });
  });

  it('needs the Safety Plan, not the FRP Intake, for a non-FRP referral', async () => {
    const d = await deliverables(caseId);
    expect(d['frp-intake'].status).toBe('not-required');
    expect(d['safety-plan'].status).toBe('open');
  });

  it('raises the task alert from the alert day and the overdue alert after the due day, in county time', async () => {
    at('2027-03-11T23:59:00-08:00');
    expect((await deliverables(caseId))['safety-plan'].status).toBe('open');
    at('2027-03-12T00:00:00-08:00');
    expect((await deliverables(caseId))['safety-plan'].status).toBe('alert');
    let listed = (await advocate.get('/api/cases?limit=500')).body.items.find((c: any) => c._id === caseId);
    expect(listed.deliverables).toMatchObject({ alerts: 1, overdue: 0, nextDueDate: '2027-03-15' });
    at('2027-03-15T23:59:00-07:00'); // the due day's last minute (daylight saving time began on March 14)
    expect((await deliverables(caseId))['safety-plan'].status).toBe('alert');
    at('2027-03-16T00:00:00-07:00');
    expect((await deliverables(caseId))['safety-plan'].status).toBe('overdue');
    listed = (await advocate.get('/api/cases?limit=500')).body.items.find((c: any) => c._id === caseId);
    expect(listed.deliverables).toMatchObject({ alerts: 0, overdue: 1 });
  });

  it('counts a deliverable submitted late as completed-late, and clears its overdue alert', async () => {
    at('2027-03-16T10:00:00-07:00');
    const doc = await submit(caseId, 'safety-plan');
    const d = await deliverables(caseId);
    expect(d['safety-plan']).toMatchObject({ status: 'completed-late', completedDate: '2027-03-16', documentId: doc._id, dueDate: '2027-03-15' });
    const listed = (await advocate.get('/api/cases?limit=500')).body.items.find((c: any) => c._id === caseId);
    expect(listed.deliverables.overdue).toBe(0);
    // The document shows the due day of the deliverable it completed.
    expect((await advocate.get(`/api/documents/${doc._id}`)).body.deliverable).toMatchObject({ key: 'safety-plan', dueDate: '2027-03-15', status: 'completed-late' });
  });

  it('counts a deliverable submitted on its last due day as completed on time', async () => {
    at('2027-03-31T23:30:00-07:00');
    await submit(caseId, 'strengths-needs-assessment');
    const d = await deliverables(caseId);
    expect(d['strengths-needs-assessment']).toMatchObject({ status: 'completed', completedDate: '2027-03-31', dueDate: '2027-03-31' });
    expect(d['advocacy-plan-1'].status).toBe('alert');
  });

  it('opens the plan phases in order: phase II waits for phase I even inside its window', async () => {
    at('2027-06-30T09:00:00-07:00'); // day 121
    let d = await deliverables(caseId);
    expect(d['advocacy-plan-1'].status).toBe('overdue');
    expect(d['advocacy-plan-2']).toMatchObject({ status: 'upcoming', blockedBy: 'advocacy-plan-1' });
    await submit(caseId, 'advocacy-plan', { phase: 'Phase I (Crisis/Stabilization)' });
    d = await deliverables(caseId);
    expect(d['advocacy-plan-1'].status).toBe('completed-late');
    expect(d['advocacy-plan-2']).toMatchObject({ status: 'open', blockedBy: null });
    expect(d['advocacy-plan-3']).toMatchObject({ status: 'upcoming', blockedBy: 'advocacy-plan-2' });
    // A plan matches its phase: the phase II plan completes phase II, not phase III.
    await submit(caseId, 'advocacy-plan', { phase: 'Phase II (Stabilization/Maintenance)' });
    d = await deliverables(caseId);
    expect(d['advocacy-plan-2'].status).toBe('completed');
    expect(d['advocacy-plan-3']).toMatchObject({ status: 'upcoming', blockedBy: null, completedAt: null });
    // A new draft plan shows the due day of the plan still owed; the submitted ones show their own.
    const draft = (await advocate.post(`/api/cases/${caseId}/documents`, { form: 'advocacy-plan' })).body;
    const listed = (await advocate.get(`/api/cases/${caseId}/documents`)).body;
    expect(listed.find((doc: any) => doc._id === draft._id).deliverable).toMatchObject({ key: 'advocacy-plan-3', dueDate: '2028-01-09', status: 'upcoming' });
    expect(listed.filter((doc: any) => doc.form === 'advocacy-plan' && doc.stage === 'submitted').map((doc: any) => doc.deliverable.key).sort())
      .toEqual(['advocacy-plan-1', 'advocacy-plan-2']);
  });

  it('never makes an optional extension request overdue', async () => {
    at('2028-02-10T09:00:00-08:00'); // the day after the first extension window closed
    const d = await deliverables(caseId);
    expect(d['extension-1'].status).toBe('not-required');
    expect(d['six-month-review'].status).toBe('overdue');
  });

  it('gives the Termination Report 7 business days after the termination date, skipping a weekend and a holiday', async () => {
    const current = (await admin.get(`/api/cases/${caseId}`)).body;
    // Thursday 2027-05-27; Memorial Day 2027-05-31 is a county holiday (business-calendar.json).
    const res = await worker.put(`/api/cases/${caseId}/data`, { data: { ...current.data, terminationDate: '2027-05-27' }, version: current.version });
    expect(res.status).toBe(200);
    const d = await deliverables(caseId);
    expect(d['termination-report']).toMatchObject({ anchorDate: '2027-05-27', dueDate: '2027-06-08' });
    // Ended before their due days: the later deliverables are no longer owed; completed ones stay completed.
    expect(d['six-month-review'].status).toBe('not-required');
    expect(d['advocacy-plan-2'].status).toBe('completed');
  });
});

describe('an FRP referral', () => {
  it('needs the FRP Intake instead of the Safety Plan', async () => {
    at('2027-03-01T09:00:00-08:00');
    const created = await openCase({ assignmentDate: '2027-03-01', referralType: 'FRP Response Only' });
    const d = await deliverables(created._id);
    expect(d['frp-intake']).toMatchObject({ status: 'open', dueDate: '2027-03-15' });
    expect(d['safety-plan'].status).toBe('not-required');
  });
});

describe('a changed assignment date', () => {
  it('recomputes the open deliverables', async () => {
    at('2027-03-01T09:00:00-08:00');
    const created = await openCase({ referralType: 'Ongoing Advocacy Services' });
    let d = await deliverables(created._id);
    expect(d['safety-plan']).toMatchObject({ dueDate: null, status: 'upcoming' });
    // The CSEC admin sets the assignment date, then corrects it.
    let current = (await admin.get(`/api/cases/${created._id}`)).body;
    let res = await admin.put(`/api/cases/${created._id}/data`, { data: { ...current.data, assignmentDate: '2027-02-01' }, version: current.version });
    expect(res.status).toBe(200);
    d = await deliverables(created._id);
    expect(d['safety-plan']).toMatchObject({ dueDate: '2027-02-15', status: 'overdue' });
    expect(d['six-month-review'].dueDate).toBe('2027-08-14');
    current = res.body;
    res = await admin.put(`/api/cases/${created._id}/data`, { data: { ...current.data, assignmentDate: '2027-02-25' }, version: current.version });
    expect(res.status).toBe(200);
    d = await deliverables(created._id);
    expect(d['safety-plan']).toMatchObject({ dueDate: '2027-03-11', status: 'open' });
    expect(d['six-month-review'].dueDate).toBe('2027-09-07');
    // The stored records (read by lists and reports) follow too, without reading the case first.
    const stored = await t.engine.services.deliverables.records.findOne({ caseId: created._id, key: 'safety-plan' });
    expect(stored?.dueDate).toBe('2027-03-11');
  });
});

describe('access', () => {
  it('answers 404 for the deliverables of a case the caller cannot see, as for a case that does not exist', async () => {
    at('2027-03-01T09:00:00-08:00');
    const created = await openCase({ assignmentDate: '2027-03-01' });
    const hidden = await otherAdvocate.get(`/api/cases/${created._id}/deliverables`);
    expect(hidden.status).toBe(404);
    expect((await otherAdvocate.get('/api/cases/no-such-case/deliverables')).status).toBe(404);
    expect((await t.anonymous.get(`/api/cases/${created._id}/deliverables`)).status).toBe(401);
    expect((await worker.get(`/api/cases/${created._id}/deliverables`)).status).toBe(200);
  });
});

describe('publishing a deliverables block', () => {
  it('refuses a malformed block naming each field', async () => {
    const program = await t.login('program.admin@example.org');
    const current = (await program.get('/api/definitions/caseType/assignment')).body.content;
    const bad = structuredClone(current);
    bad.deliverables[0].due = 'fourteen days';
    bad.deliverables[1].anchor = '/data/youthFirstName';
    bad.deliverables[2].when = '=case.data.referralType = ';
    bad.deliverables[4].after = 'advocacy-plan-9';
    bad.deliverables[5].alertBefore = 'PT3H';
    bad.deliverables[6].key = bad.deliverables[3].key;
    bad.deliverables[7].dueDay = 'P1D';
    const res = await program.post('/api/definitions/caseType/assignment', bad);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual([
      '/deliverables/0/due', '/deliverables/1/anchor', '/deliverables/2/when', '/deliverables/4/after', '/deliverables/5/alertBefore',
      '/deliverables/6/key', '/deliverables/7/dueDay',
    ]);
    expect(res.body.errors.find((e: any) => e.path === '/deliverables/1/anchor').message).toMatch(/date field/);
    expect((await program.get('/api/definitions/caseType/assignment')).body.version).toBe(1);
  });
});

describe('a new case type version', () => {
  it('gives new cases its deadlines while a case opened before keeps the ones it started with', async () => {
    at('2027-03-01T09:00:00-08:00');
    const before = await openCase({ assignmentDate: '2027-03-01', referralType: 'FRP Response Only' });
    const program = await t.login('program.admin@example.org');
    const current = (await program.get('/api/definitions/caseType/assignment')).body;
    const content = structuredClone(current.content);
    content.deliverables.find((d: any) => d.key === 'frp-intake').due = 'P10D';
    const published = await program.post('/api/definitions/caseType/assignment', content);
    expect(published.status).toBe(200);
    const after = await openCase({ assignmentDate: '2027-03-01', referralType: 'FRP Response Only' });
    expect(after.caseTypeVersion).toBe(current.version + 1);
    expect((await deliverables(after._id))['frp-intake'].dueDate).toBe('2027-03-11');
    expect((await deliverables(before._id))['frp-intake'].dueDate).toBe('2027-03-15');
  });
});
