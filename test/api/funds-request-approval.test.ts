/**
 * Restoration and Auxiliary Funds Requests (processes/funds-request-approval.bpmn): the lead
 * department's CSEC Admin approves or rejects (its inbox told); the CSW/DPO is copied and may
 * review; rejection back to the advocate; daily reminders to the lead department's admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brief, EMAIL, expectNoYouthInSubjects, startApprovals, type Approvals } from '../support/cts-approvals.js';

let a: Approvals;

beforeAll(async () => {
  a = await startApprovals();
});
afterAll(() => a?.stop());

const subject = (title: string, n: string, what: string) => `CTS: ${title} for assignment ${n} ${what}`;

describe('Restoration Funds Request', () => {
  it('DCFS-led: the DCFS CSEC Admin approves (not Probation\'s, not the CSW); the advocate is told, CC agency admin and CSW', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, 'restoration-funds-request')).body._id;
    expect((await a.document(docId)).status).toBe('Pending CSEC Admin Approval');
    const probationAdmin = await a.as('probationAdmin');
    const csw = await a.as('csw');
    const admin = await a.as('dcfsAdmin');
    const [task] = await a.tasks(admin, assignment._id);
    expect(task).toMatchObject({ activityId: 'reviewAdmin', candidateRoles: ['DCFS CSEC Admin', 'Probation CSEC Admin'] });
    expect(await a.tasks(csw, assignment._id)).toEqual([]);
    for (const client of [probationAdmin, csw]) expect((await client.post(`/api/tasks/${task._id}/complete`, { decision: 'approve' })).status).toBe(404);
    // The CSW may review it (read only).
    expect((await csw.get(`/api/documents/${docId}`)).status).toBe(200);
    await a.decide(admin, task._id, 'approve');

    expect(await a.document(docId)).toMatchObject({ status: 'Approved', stage: 'submitted' });
    const mail = await a.outbox(assignment._id);
    const title = 'Restoration Funds Request';
    expect(brief(mail)).toEqual([
      { template: 'approval-requested', to: [EMAIL.dcfsAdmin, EMAIL.dcfsInbox], cc: [EMAIL.csw], subject: subject(title, assignment.number, 'waits for your approval') },
      { template: 'document-approved', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin, EMAIL.csw], subject: subject(title, assignment.number, 'approved') },
    ]);
    expectNoYouthInSubjects(mail);
  });

  it('reminds the lead department\'s admin daily until they act', async () => {
    const assignment = await a.assignment();
    await a.submit(assignment._id, 'restoration-funds-request');
    await a.runTimersAt('2031-01-07', '08:00');
    const reminders = async () => (await a.outbox(assignment._id)).filter((m) => m.template === 'approval-reminder').map((m) => m.to);
    expect(await reminders()).toEqual([[EMAIL.dcfsAdmin]]);
    const admin = await a.as('dcfsAdmin');
    await a.decide(admin, (await a.tasks(admin, assignment._id))[0]._id, 'approve');
    await a.runTimersAt('2031-01-08', '08:00');
    expect(await reminders()).toEqual([[EMAIL.dcfsAdmin]]);
  });
});

describe('Auxiliary Funds Request', () => {
  it('Probation-led: the Probation CSEC Admin rejects with a reason, the advocate resubmits, the admin approves, in one instance', async () => {
    const poe = await a.probationAssignment();
    const before = (await a.outbox(poe._id)).length;
    const docId = (await a.submit(poe._id, 'auxiliary-funds-request', { youth: { pdjNumber: 'PDJ-7001' } })).body._id;
    expect((await a.document(docId)).status).toBe('Pending CSEC Admin Approval');
    const dcfsAdmin = await a.as('dcfsAdmin');
    expect(await a.tasks(dcfsAdmin, poe._id)).toEqual([]);
    const admin = await a.as('probationAdmin');
    const [first] = await a.tasks(admin, poe._id);
    const noReason = await admin.post(`/api/tasks/${first._id}/complete`, { decision: 'reject' });
    expect(noReason.status).toBe(422);
    await a.decide(admin, first._id, 'reject', 'Attach the receipts');
    expect(await a.document(docId)).toMatchObject({ stage: 'draft', status: 'Rejected' });

    await a.resubmit(docId, { justification: 'Supports school attendance; receipts attached.' });
    const [second] = await a.tasks(admin, poe._id);
    expect(second.instanceId).toBe(first.instanceId);
    await a.decide(admin, second._id, 'approve');
    expect((await a.document(docId)).status).toBe('Approved');

    const title = 'Auxiliary Funds Request';
    const mail = (await a.outbox(poe._id, before)).filter((m) => m.documentId === docId);
    expect(brief(mail)).toEqual([
      { template: 'approval-requested', to: [EMAIL.probationAdmin, EMAIL.probationInbox], cc: [EMAIL.dpo], subject: subject(title, poe.number, 'waits for your approval') },
      { template: 'document-rejected', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: subject(title, poe.number, 'rejected') },
      { template: 'approval-requested', to: [EMAIL.probationAdmin, EMAIL.probationInbox], cc: [EMAIL.dpo], subject: subject(title, poe.number, 'waits for your approval') },
      { template: 'document-approved', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin, EMAIL.dpo], subject: subject(title, poe.number, 'approved') },
    ]);
    expect(mail[1].text).toContain('Reason: Attach the receipts');
    expectNoYouthInSubjects(mail);
  });
});
