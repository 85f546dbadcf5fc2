/**
 * Setup for the CTS approval-route tests: a real engine on a test clock (after the real date, in
 * January 2031: Los Angeles is on PST, UTC-8), the demo users signed in by role, extra users the
 * scope rules need, assignments with an advocate on them created through the engine services,
 * documents written and submitted through the HTTP API, and readers of the outbox.
 */
import { expect } from 'vitest';
import { principalOf, type UserRecord } from '../../engine/src/auth/users.js';
import { TestClock } from '../../engine/src/runtime/time/index.js';
import type { OutboxRecord } from '../../engine/src/notifications/outbox.js';
import { merge, SAMPLES } from './cts-samples.js';
import { DEMO_PASSWORD, startTestEngine, type Client, type TestEngine } from './engine.js';

/** Wall time in Los Angeles in January (PST). */
export const la = (date: string, time: string) => new Date(`${date}T${time}:00-08:00`);

/** Monday 6 January 2031, 09:00 in Los Angeles. */
export const START = la('2031-01-06', '09:00');

export const EMAIL = {
  advocate: 'advocate.jones@example.org',
  agencyAdmin: 'agency.admin@example.org',
  csw: 'csw.garcia@example.org',
  otherCsw: 'csw.okafor@example.org',
  scsw: 'scsw.lee@example.org',
  sameOfficeScsw: 'scsw.park@example.org',
  otherOfficeScsw: 'scsw.harbor@example.org',
  dpo: 'dpo.nguyen@example.org',
  sdpo: 'sdpo.brown@example.org',
  dcfsAdmin: 'csec.admin.dcfs@example.org',
  probationAdmin: 'csec.admin.probation@example.org',
  cpm: 'cpm.wilson@example.org',
  dcfsInbox: 'dcfs-csec-admin@example.org',
  probationInbox: 'probation-child-trafficking@example.org',
} as const;

export const NAMES = { advocate: 'Taylor Jones' };

/** The youth on the test assignments: fictional, and never in a subject line. */
export const YOUTH = { first: 'Jordan', last: 'Vale' };

export interface Approvals {
  t: TestEngine;
  clock: TestClock;
  /** Signs in (again: sessions expire when the test clock jumps a day). */
  as(who: keyof typeof EMAIL): Promise<Client>;
  /** A DCFS-led (default) assignment in Metro North with the demo CSW, SCSW, agency admin and advocate on it. */
  assignment(data?: Record<string, unknown>): Promise<{ _id: string; number: string }>;
  /** The demo Probation-led assignment (DPO, SDPO, agency admin and advocate on it). */
  probationAssignment(): Promise<{ _id: string; number: string }>;
  /** The advocate writes the form's sample (merged with `data`) and submits it; the submit answer. */
  submit(caseId: string, form: string, data?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** The advocate changes a reopened document and submits it again. */
  resubmit(documentId: string, data?: Record<string, unknown>): Promise<{ status: number; body: any }>;
  document(id: string): Promise<any>;
  /** Outbox records of a case, oldest first, after the first `skip`. */
  outbox(caseId: string, skip?: number): Promise<Mail[]>;
  /** The caller's open tasks on a case. */
  tasks(client: Client, caseId: string): Promise<any[]>;
  /** Records a decision over HTTP (a second after the last step, so the outbox keeps its order) and expects it to succeed. */
  decide(client: Client, taskId: string, decision: string, reason?: string): Promise<any>;
  /** Fires due timers at the given Los Angeles wall time. */
  runTimersAt(date: string, time: string): Promise<number>;
  stop(): Promise<void>;
}

export interface Mail {
  template: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  documentId: string | null;
}

export async function startApprovals(): Promise<Approvals> {
  const clock = new TestClock(START);
  const t = await startTestEngine({}, { clock });
  const { users, cases } = t.engine.services;
  const extra: [string, string, string, string, Record<string, unknown>][] = [
    [EMAIL.sameOfficeScsw, 'Robin', 'Park', 'SCSW', { department: 'DCFS', office: 'Metro North', unit: 'MN-2' }],
    [EMAIL.otherOfficeScsw, 'Alex', 'Harbor', 'SCSW', { department: 'DCFS', office: 'Harbor', unit: 'HB-2' }],
  ];
  for (const [email, firstName, lastName, role, attributes] of extra) {
    await users.create({ email, firstName, lastName, roles: [role], attributes, password: DEMO_PASSWORD }, clock.now());
  }
  const user = async (email: string) => (await users.users.findOne({ email }))! as UserRecord;
  const csw = await user(EMAIL.csw);
  const people = async () => [
    { role: 'CSW', userId: csw._id },
    { role: 'SCSW', userId: (await user(EMAIL.scsw))._id },
    { role: 'Agency Admin', userId: (await user(EMAIL.agencyAdmin))._id },
    { role: 'Advocate', userId: (await user(EMAIL.advocate))._id },
  ];
  let advocate: Client | null = null;
  let advocateAt = -1;
  const advocateClient = async () => {
    if (!advocate || Math.abs(clock.now().getTime() - advocateAt) > 10 * 60_000) {
      advocate = await t.login(EMAIL.advocate);
      advocateAt = clock.now().getTime();
    }
    return advocate;
  };

  const api: Approvals = {
    t,
    clock,
    as: (who) => t.login(EMAIL[who]),
    async assignment(data = {}) {
      const record = await cases.create(principalOf(csw), {
        caseType: 'assignment',
        data: {
          referralNumber: `R-${Math.floor(Math.random() * 1e9)}`, youthFirstName: YOUTH.first, youthLastName: YOUTH.last, dob: '2015-05-05', language: 'English',
          leadAgency: 'DCFS', dualSupervision: false, caseNumber: 'C-9001', stateId: 'SID-9001', dcfsOffice: 'Metro North',
          advocacyAgency: 'Harbor Youth Advocates', assignmentDate: '2030-02-01', ...data,
        },
        people: await people(),
      });
      await cases.setStatus(record._id, 'Active', 'test');
      return { _id: record._id, number: record.number };
    },
    async probationAssignment() {
      const record = await cases.cases.findOne({ 'data.youthLastName': 'Poe' });
      return { _id: record!._id, number: record!.number };
    },
    async submit(caseId, form, data = {}) {
      clock.advance(1000);
      const client = await advocateClient();
      const draft = await client.post(`/api/cases/${caseId}/documents`, { form });
      expect(draft.status).toBe(201);
      return client.post(`/api/documents/${draft.body._id}/submit`, {
        version: draft.body.version, data: merge(merge(draft.body.data, SAMPLES[form].data), data), signature: { name: NAMES.advocate },
      });
    },
    async resubmit(documentId, data = {}) {
      clock.advance(1000);
      const client = await advocateClient();
      const doc = (await client.get(`/api/documents/${documentId}`)).body;
      return client.post(`/api/documents/${documentId}/submit`, { version: doc.version, data: merge(doc.data, data), signature: { name: NAMES.advocate } });
    },
    async document(id) {
      return (await (await advocateClient()).get(`/api/documents/${id}`)).body;
    },
    async outbox(caseId, skip = 0) {
      const records = await t.engine.services.store.collection<OutboxRecord>('outbox').find({ caseId }, { sort: { createdAt: 1 } });
      return records.slice(skip).map((r) => ({
        template: r.template, to: r.to.map((x) => x.email), cc: r.cc.map((x) => x.email), subject: r.subject, text: r.text, documentId: r.documentId,
      }));
    },
    async tasks(client, caseId) {
      const res = await client.get(`/api/tasks?caseId=${caseId}`);
      expect(res.status).toBe(200);
      return res.body;
    },
    async decide(client, taskId, decision, reason) {
      clock.advance(1000);
      return decide(client, taskId, decision, reason);
    },
    async runTimersAt(date, time) {
      clock.set(la(date, time));
      const report = await t.engine.services.timerScheduler.runDue();
      expect(report.failed).toEqual([]);
      return report.fired;
    },
    stop: () => t.stop(),
  };
  return api;
}

/** Only what a test compares: template, To, CC and subject. */
export const brief = (mail: Mail[]) => mail.map(({ template, to, cc, subject }) => ({ template, to, cc, subject }));

/** No subject names the youth. */
export function expectNoYouthInSubjects(mail: Mail[]): void {
  for (const m of mail) {
    expect(m.subject).not.toContain(YOUTH.first);
    expect(m.subject).not.toContain(YOUTH.last);
    expect(m.subject).not.toContain('Poe');
  }
}

/** Completes a task over HTTP and expects it to succeed. */
export async function decide(client: Client, taskId: string, decision: string, reason?: string) {
  const res = await client.post(`/api/tasks/${taskId}/complete`, { decision, ...(reason ? { reason } : {}) });
  expect(res.body.errors ?? []).toEqual([]);
  expect(res.status).toBe(200);
  return res.body;
}
