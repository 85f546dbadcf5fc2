/**
 * The Advocacy Plan route (processes/advocacy-plan-approval.bpmn) through the HTTP API as the real
 * roles: CSW/DPO approves or rejects, then SCSW/SDPO; daily reminders to the pending approver;
 * rejection back to the advocate (CC agency admin) and resubmission in the same instance; an
 * approved plan is editable again and its changes go back to the approvers, who are told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brief, EMAIL, expectNoYouthInSubjects, startApprovals, type Approvals } from '../support/cts-approvals.js';

let a: Approvals;

beforeAll(async () => {
  a = await startApprovals();
});
afterAll(() => a?.stop());

const FORM = 'advocacy-plan';
const requested = (n: string) => `CTS: Advocacy Plan for assignment ${n} waits for your approval`;
const reminder = (n: string) => `CTS reminder: Advocacy Plan for assignment ${n} is pending your approval`;

describe('Advocacy Plan: CSW then SCSW', () => {
  it('goes to the CSW, then the SCSW, and tells the advocate (CC agency admin) of the approval; then opens for changes the approvers are told of', async () => {
    const assignment = await a.assignment();
    const submitted = await a.submit(assignment._id, FORM);
    expect(submitted.status).toBe(200);
    const docId = submitted.body._id;
    expect(await a.document(docId)).toMatchObject({ stage: 'submitted', status: 'Pending CSW Approval' });
    // Read-only to the advocate while it waits.
    const advocate = await a.as('advocate');
    const edit = await advocate.put(`/api/documents/${docId}`, { version: submitted.body.version + 1, data: {} });
    expect(edit.status).toBe(409);
    expect(brief(await a.outbox(assignment._id))).toEqual([
      { template: 'approval-requested', to: [EMAIL.csw], cc: [], subject: requested(assignment.number) },
    ]);

    const csw = await a.as('csw');
    const [workerTask] = await a.tasks(csw, assignment._id);
    expect(workerTask).toMatchObject({ activityId: 'reviewWorker', decisions: ['approve', 'reject'], reasonRequiredOn: ['reject'], documentId: docId });
    // Nobody else may act on it: another CSW, the supervisor, the advocate.
    for (const who of ['otherCsw', 'scsw', 'advocate'] as const) {
      const client = await a.as(who);
      expect(await a.tasks(client, assignment._id)).toEqual([]);
      expect((await client.post(`/api/tasks/${workerTask._id}/complete`, { decision: 'approve' })).status).toBe(404);
    }
    await a.decide(csw, workerTask._id, 'approve');
    expect((await a.document(docId)).status).toBe('Pending SCSW Approval');

    const scsw = await a.as('scsw');
    const [supervisorTask] = await a.tasks(scsw, assignment._id);
    expect(supervisorTask).toMatchObject({ activityId: 'reviewSupervisor', instanceId: workerTask.instanceId });
    expect(await a.tasks(csw, assignment._id)).toEqual([]);
    await a.decide(scsw, supervisorTask._id, 'approve');

    const approved = await a.document(docId);
    expect(approved).toMatchObject({ status: 'Approved', stage: 'draft' }); // editable again after the approval
    const mail = await a.outbox(assignment._id);
    expect(brief(mail)).toEqual([
      { template: 'approval-requested', to: [EMAIL.csw], cc: [], subject: requested(assignment.number) },
      { template: 'approval-requested', to: [EMAIL.scsw], cc: [], subject: requested(assignment.number) },
      { template: 'document-approved', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: `CTS: Advocacy Plan for assignment ${assignment.number} approved` },
    ]);
    expectNoYouthInSubjects(mail);

    // The advocate changes the approved plan: the approvers are told and it is approved again, in the same instance.
    const changed = await a.resubmit(docId, { priorityNeeds: 'Stable housing, school, a part-time job' });
    expect(changed.status).toBe(200);
    expect((await a.document(docId)).status).toBe('Pending CSW Approval');
    expect(brief(await a.outbox(assignment._id, 3))).toEqual([
      { template: 'advocacy-plan-changed', to: [EMAIL.csw], cc: [EMAIL.scsw], subject: `CTS: changes made to the Advocacy Plan for assignment ${assignment.number}` },
      { template: 'approval-requested', to: [EMAIL.csw], cc: [], subject: requested(assignment.number) },
    ]);
    const [again] = await a.tasks(csw, assignment._id);
    expect(again).toMatchObject({ activityId: 'reviewWorker', instanceId: workerTask.instanceId });
    const instances = (await csw.get(`/api/cases/${assignment._id}/instances`)).body;
    expect(instances.filter((i: any) => i.documentId === docId)).toHaveLength(1);
  });

  it('lets any SCSW of the case\'s office act, and no SCSW of another office', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, FORM)).body._id;
    const csw = await a.as('csw');
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'approve');

    const otherOffice = await a.as('otherOfficeScsw');
    expect(await a.tasks(otherOffice, assignment._id)).toEqual([]);
    const colleague = await a.as('sameOfficeScsw');
    const [task] = await a.tasks(colleague, assignment._id);
    expect(task.activityId).toBe('reviewSupervisor');
    const refused = await otherOffice.post(`/api/tasks/${task._id}/complete`, { decision: 'approve' });
    expect(refused.status).toBe(404);
    await a.decide(colleague, task._id, 'approve');
    expect((await a.document(docId)).status).toBe('Approved');
  });
});

describe('Advocacy Plan: rejections', () => {
  it('needs a reason, returns the plan to the advocate (CC agency admin), and continues the same instance on resubmission, at either level', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, FORM)).body._id;
    const csw = await a.as('csw');
    const [first] = await a.tasks(csw, assignment._id);
    const noReason = await csw.post(`/api/tasks/${first._id}/complete`, { decision: 'reject' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors).toEqual([{ path: '/reason', message: 'A reason is required to reject' }]);
    await a.decide(csw, first._id, 'reject', 'Add a goal for school attendance');

    expect(await a.document(docId)).toMatchObject({ stage: 'draft', status: 'Rejected' });
    const rejection = (await a.outbox(assignment._id, 1))[0];
    expect(brief([rejection])).toEqual([
      { template: 'document-rejected', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: `CTS: Advocacy Plan for assignment ${assignment.number} rejected` },
    ]);
    expect(rejection.text).toContain('Reason: Add a goal for school attendance');
    expect(await a.tasks(csw, assignment._id)).toEqual([]);

    expect((await a.resubmit(docId, { shortTermGoals: [] })).status).toBe(200);
    expect((await a.document(docId)).status).toBe('Pending CSW Approval');
    expect(brief(await a.outbox(assignment._id, 2)).map((m) => [m.template, m.to, m.cc])).toEqual([
      ['advocacy-plan-changed', [EMAIL.csw], [EMAIL.scsw]],
      ['approval-requested', [EMAIL.csw], []],
    ]);
    const [second] = await a.tasks(csw, assignment._id);
    expect(second.instanceId).toBe(first.instanceId);
    await a.decide(csw, second._id, 'approve');

    const scsw = await a.as('scsw');
    await a.decide(scsw, (await a.tasks(scsw, assignment._id))[0]._id, 'reject', 'Safety plan needs a trusted adult');
    expect(await a.document(docId)).toMatchObject({ stage: 'draft', status: 'Rejected' });
    const afterSupervisor = await a.outbox(assignment._id, 5);
    expect(afterSupervisor.map((m) => [m.template, m.to, m.cc])).toEqual([['document-rejected', [EMAIL.advocate], [EMAIL.agencyAdmin]]]);
    expect(afterSupervisor[0].text).toContain('Reason: Safety plan needs a trusted adult');

    await a.resubmit(docId);
    const [third] = await a.tasks(csw, assignment._id);
    expect(third).toMatchObject({ activityId: 'reviewWorker', instanceId: first.instanceId });
    expectNoYouthInSubjects(await a.outbox(assignment._id));
  });
});

describe('Advocacy Plan: daily reminders', () => {
  it('reminds the pending approver every day at 08:00 and stops once they decide', async () => {
    const assignment = await a.assignment();
    await a.submit(assignment._id, FORM); // Monday 09:00 (or later the same week)
    const reminders = async () => (await a.outbox(assignment._id)).filter((m) => m.template === 'approval-reminder');

    expect(await a.runTimersAt('2031-01-07', '07:59')).toBe(0);
    expect(await a.runTimersAt('2031-01-07', '08:00')).toBeGreaterThanOrEqual(1);
    expect(brief(await reminders())).toEqual([{ template: 'approval-reminder', to: [EMAIL.csw], cc: [], subject: reminder(assignment.number) }]);
    expect(await a.runTimersAt('2031-01-07', '17:00')).toBe(0);
    await a.runTimersAt('2031-01-08', '08:00');
    expect((await reminders()).map((m) => m.to)).toEqual([[EMAIL.csw], [EMAIL.csw]]);

    const csw = await a.as('csw');
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'approve');
    await a.runTimersAt('2031-01-09', '08:00');
    expect((await reminders()).map((m) => m.to)).toEqual([[EMAIL.csw], [EMAIL.csw], [EMAIL.scsw]]);

    const scsw = await a.as('scsw');
    await a.decide(scsw, (await a.tasks(scsw, assignment._id))[0]._id, 'approve');
    await a.runTimersAt('2031-01-10', '08:00');
    await a.runTimersAt('2031-01-11', '08:00');
    expect((await reminders()).map((m) => m.to)).toEqual([[EMAIL.csw], [EMAIL.csw], [EMAIL.scsw]]);
  });
});
