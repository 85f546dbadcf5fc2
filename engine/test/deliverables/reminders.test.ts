/**
 * The daily deliverable reminders and overdue alerts, with the test clock on the real embedded
 * store: the run at the configured local time on both sides of a daylight-saving change, a
 * business-day deadline across a holiday, a reminder in the alert window and an overdue alert
 * after the due day (each once a day, none after completion), two engine nodes on one store
 * sending each notice once, and a malformed `remind` / `overdue` block refused at publish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import { BusinessCalendar } from '../../src/runtime/time/index.js';
import { CALENDAR, MATTER, createHarness, seedApproval, type Harness } from '../runtime/harness.js';

const calendar = new BusinessCalendar(CALENDAR);
/** The instant of a wall time in Los Angeles. */
const la = (date: string, time: string) => calendar.toInstant(date, time);

const REMIND = { to: 'case:worker', cc: 'case:admin', template: 'deliverable-due' };
const OVERDUE = { to: 'case:worker', cc: ['case:admin', 'case:supervisor'], template: 'deliverable-overdue' };

const CASE_TYPE = {
  ...MATTER,
  permissions: { worker: ['createDocument:intake', 'editDocument:intake'] },
  schema: {
    type: 'object',
    properties: { ...MATTER.schema.properties, openedOn: { type: 'string', format: 'date' }, closedOn: { type: 'string', format: 'date' } },
  },
  deliverables: [
    { key: 'intake', title: 'Intake', form: 'intake', anchor: '/data/openedOn', due: 'P10D', alertBefore: 'P3D', remind: REMIND, overdue: OVERDUE },
    { key: 'closing', title: 'Closing', form: 'closing', anchor: '/data/closedOn', due: '=add business days(anchor, 3)', alertBefore: 'P1D', remind: REMIND, overdue: OVERDUE },
    // No remind / overdue: nobody is told.
    { key: 'quiet', title: 'Quiet', form: 'quiet', anchor: '/data/openedOn', due: 'P10D', alertBefore: 'P3D' },
  ],
};

const INTAKE = {
  title: 'Intake',
  schema: { type: 'object', properties: { text: { type: 'string' } } },
  uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/text' }] },
};

let h: Harness;
let springCase: string; // opened 2031-03-01: intake alert from 03-08, due 03-11 (DST starts 03-09)
let holidayCase: string; // closed 2031-01-16: closing due 3 business days later, across the holiday 01-20

beforeAll(async () => {
  h = await createHarness();
  await seedApproval(h);
  const { definitions, cases } = h.engine.services;
  await definitions.publish('template', 'deliverable-due', {
    title: 'Deliverable due', subject: '{{ data.deliverable.title }} for {{ case.number }} is due {{ data.deliverable.dueDate }}', text: '{{ link }}',
  }, 'test');
  await definitions.publish('template', 'deliverable-overdue', {
    title: 'Deliverable overdue', subject: '{{ data.deliverable.title }} for {{ case.number }} was due {{ data.deliverable.dueDate }}', text: '{{ link }}',
  }, 'test');
  await definitions.publish('form', 'intake', INTAKE, 'test');
  await definitions.publish('caseType', 'dated-matter', CASE_TYPE, 'test');
  const people = [
    { role: 'worker', userId: h.users.worker.userId }, { role: 'supervisor', userId: h.users.supA1.userId }, { role: 'admin', userId: h.users.admin.userId },
  ];
  springCase = (await cases.create(h.users.worker, { caseType: 'dated-matter', data: { subject: 'Spring', office: 'A', openedOn: '2031-03-01' }, people }))._id;
  holidayCase = (await cases.create(h.users.worker, { caseType: 'dated-matter', data: { subject: 'Holiday', office: 'A', closedOn: '2031-01-16' }, people }))._id;
});
afterAll(() => h?.destroy());

async function notices(caseId: string) {
  return h.engine.services.outbox.records.find({ caseId, _id: { $regex: /^deliverable-/ } }, { sort: { _id: 1 } });
}

/** Sets the clock and runs the job. */
async function runAt(date: string, time: string) {
  h.clock.set(la(date, time));
  return h.engine.services.deliverableReminders.runDue();
}

describe('the run time', () => {
  it('is the configured local time on both sides of a daylight-saving change', () => {
    const job = h.engine.services.deliverableReminders;
    expect(h.config.reminderTime).toBe('07:00');
    // 07:00 PST is 15:00 UTC; from 2031-03-09 07:00 PDT is 14:00 UTC; back to PST on 2031-11-02.
    expect(job.nextRunAt(new Date('2031-03-08T12:00:00Z')).toISOString()).toBe('2031-03-08T15:00:00.000Z');
    expect(job.nextRunAt(new Date('2031-03-08T15:00:00Z')).toISOString()).toBe('2031-03-09T14:00:00.000Z');
    expect(job.nextRunAt(new Date('2031-03-09T14:00:00Z')).toISOString()).toBe('2031-03-10T14:00:00.000Z');
    expect(job.nextRunAt(new Date('2031-11-01T14:00:00Z')).toISOString()).toBe('2031-11-02T15:00:00.000Z');
  });
});

describe('reminders and overdue alerts', () => {
  it('skips the holiday in a business-day deadline, reminds in the alert window and alerts after the due day', async () => {
    const closing = (await h.engine.services.deliverables.refresh(holidayCase)).find((d) => d.key === 'closing')!;
    // Thu 01-16 + 3 business days: Fri 17, (weekend, holiday Mon 20), Tue 21, Wed 22.
    expect(closing).toMatchObject({ dueDate: '2031-01-22', alertDate: '2031-01-21' });

    expect(await runAt('2031-01-20', '08:00')).toMatchObject({ ran: true, reminders: 0, overdue: 0 });
    expect(await runAt('2031-01-21', '06:59')).toMatchObject({ ran: false });
    expect(await runAt('2031-01-21', '07:00')).toMatchObject({ ran: true, reminders: 1, overdue: 0 });
    expect(await runAt('2031-01-21', '13:00')).toMatchObject({ ran: false, reminders: 0 });
    expect(await runAt('2031-01-22', '07:00')).toMatchObject({ ran: true, reminders: 1, overdue: 0 });
    expect(await runAt('2031-01-23', '07:00')).toMatchObject({ ran: true, reminders: 0, overdue: 1 });

    const sent = await notices(holidayCase);
    expect(sent.map((n) => n._id)).toEqual([
      `deliverable-overdue:${holidayCase}:closing:2031-01-23`,
      `deliverable-reminder:${holidayCase}:closing:2031-01-21`,
      `deliverable-reminder:${holidayCase}:closing:2031-01-22`,
    ]);
    const [overdue, reminder] = sent;
    expect(reminder.to.map((r) => r.email)).toEqual(['worker@example.org']);
    expect(reminder.cc.map((r) => r.email)).toEqual(['admin@example.org']);
    expect(reminder.subject).toMatch(/^Closing for M-\d+ is due 01\/22\/2031$/);
    expect(overdue.to.map((r) => r.email)).toEqual(['worker@example.org']);
    expect(overdue.cc.map((r) => r.email)).toEqual(['admin@example.org', 'supa1@example.org']);
    expect(overdue.subject).toMatch(/was due 01\/22\/2031$/);
  });

  it('runs at 07:00 local time on both sides of the spring-forward change, once a day', async () => {
    expect(await runAt('2031-03-08', '06:59')).toMatchObject({ ran: false });
    expect(h.clock.now().toISOString()).toBe('2031-03-08T14:59:00.000Z');
    expect(await runAt('2031-03-08', '07:00')).toMatchObject({ ran: true, reminders: 1 });
    expect(await h.engine.services.deliverableReminders.runDue()).toMatchObject({ ran: false, reminders: 0 });
    // Daylight time from 02:00 on 03-09: 07:00 is 14:00 UTC, an hour earlier than the day before.
    expect(await runAt('2031-03-09', '06:59')).toMatchObject({ ran: false });
    expect(h.clock.now().toISOString()).toBe('2031-03-09T13:59:00.000Z');
    expect(await runAt('2031-03-09', '07:00')).toMatchObject({ ran: true, reminders: 1 });
    const ids = (await notices(springCase)).map((n) => n._id);
    expect(ids).toEqual([`deliverable-reminder:${springCase}:intake:2031-03-08`, `deliverable-reminder:${springCase}:intake:2031-03-09`]);
  });

  it('sends each notice once with two engine nodes on one store', async () => {
    const second = await createEngine(h.config, { clock: h.clock, store: h.engine.services.store });
    try {
      h.clock.set(la('2031-03-10', '07:00'));
      const [a, b] = await Promise.all([h.engine.services.deliverableReminders.runDue(), second.services.deliverableReminders.runDue()]);
      expect([a.ran, b.ran].filter(Boolean)).toHaveLength(1);
      expect(a.reminders + b.reminders).toBe(1);
      const [c, d] = await Promise.all([h.engine.services.deliverableReminders.runDue(), second.services.deliverableReminders.runDue()]);
      expect(c.reminders + d.reminders).toBe(0);
      expect((await notices(springCase)).filter((n) => n._id.endsWith(':2031-03-10'))).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('alerts after the due day, and stops once the deliverable is completed', async () => {
    // The holiday case's closing, never submitted, is still alerted once a day.
    expect(await runAt('2031-03-12', '07:00')).toMatchObject({ ran: true, reminders: 0, overdue: 2 });
    const { documents } = h.engine.services;
    const draft = await documents.create(h.users.worker, springCase, 'intake');
    await documents.submit(h.users.worker, draft._id, { data: { text: 'done' }, signatureName: h.users.worker.name, expectedVersion: draft.version });
    expect(await runAt('2031-03-13', '07:00')).toMatchObject({ ran: true, reminders: 0, overdue: 1 });
    const ids = (await notices(springCase)).map((n) => n._id);
    expect(ids.filter((id) => id.startsWith('deliverable-overdue:'))).toEqual([`deliverable-overdue:${springCase}:intake:2031-03-12`]);
    expect(ids.some((id) => id.includes('quiet'))).toBe(false);
    expect((await notices(holidayCase)).filter((n) => n._id.startsWith('deliverable-overdue:')).map((n) => n._id.slice(-10)))
      .toEqual(['2031-01-23', '2031-03-08', '2031-03-09', '2031-03-10', '2031-03-12', '2031-03-13']);
  });
});

describe('the remind and overdue blocks at publish', () => {
  it('refuses a malformed block, naming the field', async () => {
    const content = structuredClone(CASE_TYPE) as any;
    content.deliverables[0].remind = { to: 'worker', template: 'Deliverable Due', when: 'daily' };
    content.deliverables[1].overdue = { cc: 5, template: 'deliverable-overdue' };
    const error = await h.engine.services.definitions.publish('caseType', 'broken-reminders', content, 'test').then(() => null, (e: any) => e);
    expect(error?.errors?.map((e: any) => e.path)).toEqual([
      '/deliverables/0/remind/when', '/deliverables/0/remind/to', '/deliverables/0/remind/template', '/deliverables/1/overdue/to', '/deliverables/1/overdue/cc',
    ]);
    expect(error.errors[1].message).toMatch(/not a recipient rule/);
  });

  it('refuses an inbox that is not configured', async () => {
    const content = structuredClone(CASE_TYPE) as any;
    content.deliverables[0].overdue = { to: 'case:worker', cc: 'inbox:nowhere', template: 'deliverable-overdue' };
    await expect(h.engine.services.definitions.publish('caseType', 'broken-inbox', content, 'test')).rejects.toMatchObject({
      errors: [{ path: '/deliverables/0/overdue/cc', message: expect.stringMatching(/no configured inbox "nowhere"/) }],
    });
  });
});
