/**
 * The CTS deliverable reminders and overdue alerts (forms/assignment.case.json `remind` /
 * `overdue`, processes/templates/deliverable-due and deliverable-overdue) with a test clock: the
 * daily run at 07:00 county time reminds the advocate, CC the agency admin, in the alert
 * window, and alerts the advocate, CC the agency admin and the CSW/DPO, once the deliverable is
 * overdue; the subjects name the Assignment # and the deliverable, never the youth.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClock } from '../../engine/src/runtime/time/index.js';
import { loadConfig } from '../../engine/src/config.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { userId } from '../support/outbox.js';

const clock = new TestClock('2027-03-01T17:00:00Z');
let t: TestEngine;
let caseId: string;
let caseNumber: string;

beforeAll(async () => {
  const sessions = { ...loadConfig({}).sessions, idleMinutes: 2_000_000, absoluteHours: 40_000 };
  t = await startTestEngine({ sessions }, { clock });
  const worker = await t.login('csw.garcia@example.org');
  const id = Object.fromEntries(await Promise.all(['csw.garcia', 'dpo.nguyen', 'advocate.jones', 'agency.admin'].map(async (e) => [e, await userId(t, `${e}@example.org`)])));
  const res = await worker.post('/api/cases', {
    caseType: 'assignment',
    data: {
      youthFirstName: 'Robin', youthLastName: 'Example', dob: '2011-05-06', language: 'English', leadAgency: 'DCFS', advocacyAgency: 'Harbor Youth Advocates',
      assignmentDate: '2027-03-01', referralType: 'Ongoing Advocacy Services',
    },
    people: [
      { role: 'CSW', userId: id['csw.garcia'] }, { role: 'DPO', userId: id['dpo.nguyen'] },
      { role: 'Agency Admin', userId: id['agency.admin'] }, { role: 'Advocate', userId: id['advocate.jones'] },
    ],
  });
  expect(res.status).toBe(201);
  caseId = res.body._id;
  caseNumber = res.body.number;
});
afterAll(() => t?.stop());

async function deliverableNotices() {
  const records = await t.engine.services.outbox.records.find({ caseId, _id: { $regex: /^deliverable-/ } }, { sort: { _id: 1 } });
  return records.map((r) => ({ id: r._id, template: r.template, subject: r.subject, text: r.text, to: r.to.map((x) => x.email), cc: r.cc.map((x) => x.email) }));
}

it('reminds the advocate CC the agency admin, then alerts them and the CSW/DPO once overdue', async () => {
  const job = t.engine.services.deliverableReminders;
  // The Safety Plan is due 14 days after the assignment date (03-15), in alert 3 days before.
  clock.set('2027-03-12T14:59:00Z'); // 06:59 PST
  expect((await job.runDue()).ran).toBe(false);
  clock.set('2027-03-12T15:00:00Z'); // 07:00 PST
  expect((await job.runDue()).ran).toBe(true);
  const [reminder] = await deliverableNotices();
  expect(reminder).toMatchObject({
    id: `deliverable-reminder:${caseId}:safety-plan:2027-03-12`,
    template: 'deliverable-due',
    subject: `CTS reminder: Safety Plan for Assignment # ${caseNumber} is due 03/15/2027`,
    to: ['advocate.jones@example.org'],
    cc: ['agency.admin@example.org'],
  });

  clock.set('2027-03-16T14:00:00Z'); // 07:00 PDT, the day after the due day
  expect((await job.runDue()).ran).toBe(true);
  const overdue = (await deliverableNotices()).filter((n) => n.template === 'deliverable-overdue');
  expect(overdue).toEqual([expect.objectContaining({
    id: `deliverable-overdue:${caseId}:safety-plan:2027-03-16`,
    subject: `CTS overdue: Safety Plan for Assignment # ${caseNumber} was due 03/15/2027`,
    to: ['advocate.jones@example.org'],
    cc: ['agency.admin@example.org', 'csw.garcia@example.org', 'dpo.nguyen@example.org'],
  })]);
  for (const notice of await deliverableNotices()) {
    expect(`${notice.subject}\n${notice.text}`).not.toMatch(/Robin|Example/);
  }
});

it('reminds nobody once the assignment is closed or terminated', async () => {
  const job = t.engine.services.deliverableReminders;
  await t.engine.services.cases.setStatus(caseId, 'Closed', 'test');
  const before = (await deliverableNotices()).length;
  clock.set('2027-03-17T14:00:00Z'); // the next day's run: the Safety Plan is still overdue
  expect((await job.runDue()).ran).toBe(true);
  expect(await deliverableNotices()).toHaveLength(before);
  await t.engine.services.cases.setStatus(caseId, 'Active', 'test');
  clock.set('2027-03-18T14:00:00Z');
  await job.runDue();
  expect((await deliverableNotices()).filter((n) => n.id.endsWith(':2027-03-18'))).toHaveLength(1);
});

it('refuses a reminder block naming a status the case type does not have', async () => {
  const admin = await t.login('program.admin@example.org');
  const current = (await admin.get('/api/definitions/caseType/assignment')).body.content;
  const content = structuredClone(current);
  content.deliverables[0].remind.exceptStatuses = ['Closed', 'Archived'];
  const res = await admin.post('/api/definitions/caseType/assignment', content);
  expect(res.status).toBe(422);
  expect(res.body.errors).toContainEqual({ path: '/deliverables/0/remind/exceptStatuses/1', message: expect.stringContaining('"Archived" is not a status of the case type') });
});
