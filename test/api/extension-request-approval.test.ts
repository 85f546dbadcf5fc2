/**
 * The Extension Request route (processes/extension-request-approval.bpmn): e-mail To the DCFS CSEC
 * Admin, CC the Probation CSEC Admin and the inboxes; CSW/DPO, then SCSW/SDPO review, then the
 * County Program Manager's final approval; at most two extensions per assignment; nothing beyond
 * 18 months without the CPM's written approval (form schema).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brief, EMAIL, expectNoYouthInSubjects, startApprovals, type Approvals } from '../support/cts-approvals.js';

let a: Approvals;

beforeAll(async () => {
  a = await startApprovals();
});
afterAll(() => a?.stop());

const FORM = 'extension-request';
const FIRST = { requestDate: '2030-12-20', extensionNumber: 'First Extension', extensionStart: '2031-01-10' };
const SECOND = { requestDate: '2031-01-05', extensionNumber: 'Second Extension', extensionStart: '2031-04-10' };
const subject = (n: string, what: string) => `CTS: Extension Request for assignment ${n} ${what}`;
const submittedMail = (n: string) => ({
  template: 'extension-request-submitted', to: [EMAIL.dcfsAdmin], cc: [EMAIL.probationAdmin, EMAIL.dcfsInbox, EMAIL.probationInbox],
  subject: subject(n, 'submitted'),
});

async function approveAll(caseId: string) {
  for (const who of ['csw', 'scsw', 'cpm'] as const) {
    const client = await a.as(who);
    const [task] = await a.tasks(client, caseId);
    expect(task, `${who} has the task`).toBeDefined();
    await a.decide(client, task._id, 'approve');
  }
}

describe('Extension Request', () => {
  it('tells the admins and inboxes, then goes CSW -> SCSW -> CPM; the approval is recorded on the assignment', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, FORM, FIRST)).body._id;
    expect((await a.document(docId)).status).toBe('Pending CSW Approval');
    const csw = await a.as('csw');
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'approve');
    const cpm = await a.as('cpm');
    expect(await a.tasks(cpm, assignment._id)).toEqual([]);
    const scsw = await a.as('scsw');
    await a.decide(scsw, (await a.tasks(scsw, assignment._id))[0]._id, 'approve');
    expect((await a.document(docId)).status).toBe('Pending CPM Approval');
    // The CSEC admins are told, but the final approval is the CPM's.
    const admin = await a.as('dcfsAdmin');
    expect(await a.tasks(admin, assignment._id)).toEqual([]);
    const [final] = await a.tasks(cpm, assignment._id);
    expect(final).toMatchObject({ activityId: 'reviewCpm', candidateRoles: ['CPM'] });
    await a.decide(cpm, final._id, 'approve');

    expect((await a.document(docId)).status).toBe('Approved');
    const record = (await csw.get(`/api/cases/${assignment._id}`)).body;
    expect(record.data.extensionRequests).toEqual({ [docId]: 'Approved' });
    const mail = await a.outbox(assignment._id);
    expect(brief(mail)).toEqual([
      submittedMail(assignment.number),
      { template: 'approval-requested', to: [EMAIL.csw], cc: [], subject: subject(assignment.number, 'waits for your approval') },
      { template: 'approval-requested', to: [EMAIL.scsw], cc: [], subject: subject(assignment.number, 'waits for your approval') },
      { template: 'approval-requested', to: [EMAIL.cpm], cc: [], subject: subject(assignment.number, 'waits for your approval') },
      { template: 'document-approved', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: subject(assignment.number, 'approved') },
    ]);
    expectNoYouthInSubjects(mail);
  });

  it('the CPM rejects: back to the advocate; the resubmitted request tells the admins again and starts with the CSW', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, FORM, FIRST)).body._id;
    const csw = await a.as('csw');
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'approve');
    const scsw = await a.as('scsw');
    await a.decide(scsw, (await a.tasks(scsw, assignment._id))[0]._id, 'approve');
    const cpm = await a.as('cpm');
    const [final] = await a.tasks(cpm, assignment._id);
    await a.decide(cpm, final._id, 'reject', 'Describe the remaining goals in more detail');
    expect(await a.document(docId)).toMatchObject({ stage: 'draft', status: 'Rejected' });
    expect((await csw.get(`/api/cases/${assignment._id}`)).body.data.extensionRequests).toEqual({ [docId]: 'Rejected' });
    const count = (await a.outbox(assignment._id)).length;

    await a.resubmit(docId, { goalsRemaining: 'Employment: finish the job-readiness course' });
    expect((await a.document(docId)).status).toBe('Pending CSW Approval');
    expect((await csw.get(`/api/cases/${assignment._id}`)).body.data.extensionRequests).toEqual({ [docId]: 'Pending' });
    expect(brief(await a.outbox(assignment._id, count))).toEqual([
      submittedMail(assignment.number),
      { template: 'approval-requested', to: [EMAIL.csw], cc: [], subject: subject(assignment.number, 'waits for your approval') },
    ]);
    const [again] = await a.tasks(csw, assignment._id);
    expect(again.instanceId).toBe(final.instanceId);
    const rejected = (await a.outbox(assignment._id)).find((m) => m.template === 'document-rejected')!;
    expect([rejected.to, rejected.cc]).toEqual([[EMAIL.advocate], [EMAIL.agencyAdmin]]);
    expect(rejected.text).toContain('Reason: Describe the remaining goals in more detail');
  });

  it('the CSW rejects: back to the advocate, CC agency admin', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, FORM, FIRST)).body._id;
    const csw = await a.as('csw');
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'reject', 'Not needed yet');
    expect(await a.document(docId)).toMatchObject({ stage: 'draft', status: 'Rejected' });
    expect((await a.outbox(assignment._id)).at(-1)).toMatchObject({ template: 'document-rejected', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin] });
    expect(await a.tasks(csw, assignment._id)).toEqual([]);
  });

  it('accepts at most two extensions per assignment (approved or pending); a third is not accepted, with the reason', async () => {
    const assignment = await a.assignment();
    await a.submit(assignment._id, FORM, FIRST);
    await approveAll(assignment._id);
    const second = (await a.submit(assignment._id, FORM, SECOND)).body._id;
    expect((await a.document(second)).status).toBe('Pending CSW Approval');
    const count = (await a.outbox(assignment._id)).length;

    const third = await a.submit(assignment._id, FORM, { ...SECOND, requestDate: '2031-01-06' });
    expect(third.status).toBe(200);
    expect(await a.document(third.body._id)).toMatchObject({ stage: 'submitted', status: 'Rejected: an assignment may have at most two extensions' });
    const mail = await a.outbox(assignment._id, count);
    expect(brief(mail)).toEqual([
      { template: 'extension-limit-reached', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: subject(assignment.number, 'not accepted') },
    ]);
    expect(mail[0].text).toContain('at most two extensions');
    const csw = await a.as('csw');
    expect((await a.tasks(csw, assignment._id)).map((t) => t.documentId)).toEqual([second]); // only the second waits
    const instances = (await csw.get(`/api/cases/${assignment._id}/instances`)).body;
    expect(instances.find((i: any) => i.documentId === third.body._id).status).toBe('completed');

    // A rejected request no longer counts.
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'reject', 'Wait for the six-month review');
    const retry = (await a.submit(assignment._id, FORM, { ...SECOND, requestDate: '2031-01-07' })).body._id;
    expect((await a.document(retry)).status).toBe('Pending CSW Approval');
  });

  it('refuses services beyond 18 months without the CPM\'s written approval, naming the fields', async () => {
    const assignment = await a.assignment(); // assigned 2030-02-01: 18 months end 2031-08-01
    const late = { ...SECOND, extensionStart: '2031-06-01' };
    const refused = await a.submit(assignment._id, FORM, late);
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: any) => e.path).sort()).toEqual(['/data/cpmApprovalDate', '/data/cpmWrittenApproval']);
    expect(await a.outbox(assignment._id)).toEqual([]);
    const accepted = await a.submit(assignment._id, FORM, { ...late, cpmWrittenApproval: true, cpmApprovalDate: '2031-01-02' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toMatchObject({ beyond18Months: true, extensionEnd: '2031-09-01' });
    expect((await a.document(accepted.body._id)).status).toBe('Pending CSW Approval');
  });

  it('reminds the CPM daily while the final approval is pending', async () => {
    const assignment = await a.assignment();
    await a.submit(assignment._id, FORM, FIRST);
    for (const who of ['csw', 'scsw'] as const) {
      const client = await a.as(who);
      await a.decide(client, (await a.tasks(client, assignment._id))[0]._id, 'approve');
    }
    await a.runTimersAt('2031-01-07', '08:00');
    await a.runTimersAt('2031-01-08', '08:00');
    const reminders = (await a.outbox(assignment._id)).filter((m) => m.template === 'approval-reminder');
    expect(reminders.map((m) => m.to)).toEqual([[EMAIL.cpm], [EMAIL.cpm]]);
    const cpm = await a.as('cpm');
    await a.decide(cpm, (await a.tasks(cpm, assignment._id))[0]._id, 'approve');
    await a.runTimersAt('2031-01-09', '08:00');
    expect((await a.outbox(assignment._id)).filter((m) => m.template === 'approval-reminder')).toHaveLength(2);
  });
});
