/**
 * The Termination Report route (processes/termination-report-approval.bpmn): CSW/DPO, then
 * SCSW/SDPO; daily reminders until acted on; rejection back to the advocate; the approved report
 * terminates the assignment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brief, EMAIL, expectNoYouthInSubjects, startApprovals, type Approvals } from '../support/cts-approvals.js';

let a: Approvals;

beforeAll(async () => {
  a = await startApprovals();
});
afterAll(() => a?.stop());

const FORM = 'termination-report';
const subject = (n: string, what: string) => `CTS: Termination Report for assignment ${n} ${what}`;

describe('Termination Report', () => {
  it('DCFS-led: CSW then SCSW approve; the advocate is told (CC agency admin) and the assignment is Terminated', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, FORM)).body._id;
    expect((await a.document(docId)).status).toBe('Pending CSW Approval');
    const otherCsw = await a.as('otherCsw');
    expect(await a.tasks(otherCsw, assignment._id)).toEqual([]);
    const csw = await a.as('csw');
    const [first] = await a.tasks(csw, assignment._id);
    expect(first).toMatchObject({ activityId: 'reviewWorker', form: FORM, documentId: docId });
    expect((await otherCsw.post(`/api/tasks/${first._id}/complete`, { decision: 'approve' })).status).toBe(404);
    await a.decide(csw, first._id, 'approve');
    expect((await a.document(docId)).status).toBe('Pending SCSW Approval');
    const otherOffice = await a.as('otherOfficeScsw');
    expect(await a.tasks(otherOffice, assignment._id)).toEqual([]);
    const scsw = await a.as('scsw');
    await a.decide(scsw, (await a.tasks(scsw, assignment._id))[0]._id, 'approve');

    expect(await a.document(docId)).toMatchObject({ status: 'Approved', stage: 'submitted' });
    expect((await csw.get(`/api/cases/${assignment._id}`)).body.status).toBe('Terminated');
    const mail = await a.outbox(assignment._id);
    expect(brief(mail)).toEqual([
      { template: 'approval-requested', to: [EMAIL.csw], cc: [], subject: subject(assignment.number, 'waits for your approval') },
      { template: 'approval-requested', to: [EMAIL.scsw], cc: [], subject: subject(assignment.number, 'waits for your approval') },
      { template: 'document-approved', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: subject(assignment.number, 'approved') },
    ]);
    expectNoYouthInSubjects(mail);
  });

  it('Probation-led: the DPO rejects with a reason, the advocate resubmits, the DPO and the SDPO approve, in one instance', async () => {
    const poe = await a.probationAssignment();
    const before = (await a.outbox(poe._id)).length;
    const docId = (await a.submit(poe._id, FORM)).body._id;
    expect((await a.document(docId)).status).toBe('Pending DPO Approval');
    const dpo = await a.as('dpo');
    const [first] = await a.tasks(dpo, poe._id);
    const csw = await a.as('csw');
    expect((await csw.post(`/api/tasks/${first._id}/complete`, { decision: 'approve' })).status).toBe(404);
    await a.decide(dpo, first._id, 'reject', 'Describe the community resources linked');
    expect(await a.document(docId)).toMatchObject({ stage: 'draft', status: 'Rejected' });

    await a.resubmit(docId, { communityResources: [{ name: 'Job center', description: 'Resume help', contact: 'jobs@example.org' }] });
    expect((await a.document(docId)).status).toBe('Pending DPO Approval');
    const [second] = await a.tasks(dpo, poe._id);
    expect(second.instanceId).toBe(first.instanceId);
    await a.decide(dpo, second._id, 'approve');
    expect((await a.document(docId)).status).toBe('Pending SDPO Approval');
    const sdpo = await a.as('sdpo');
    await a.decide(sdpo, (await a.tasks(sdpo, poe._id))[0]._id, 'approve');
    expect((await a.document(docId)).status).toBe('Approved');

    const mail = (await a.outbox(poe._id, before)).filter((m) => m.documentId === docId);
    expect(brief(mail)).toEqual([
      { template: 'approval-requested', to: [EMAIL.dpo], cc: [], subject: subject(poe.number, 'waits for your approval') },
      { template: 'document-rejected', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: subject(poe.number, 'rejected') },
      { template: 'approval-requested', to: [EMAIL.dpo], cc: [], subject: subject(poe.number, 'waits for your approval') },
      { template: 'approval-requested', to: [EMAIL.sdpo], cc: [], subject: subject(poe.number, 'waits for your approval') },
      { template: 'document-approved', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin], subject: subject(poe.number, 'approved') },
    ]);
    expect(mail[1].text).toContain('Reason: Describe the community resources linked');
    expectNoYouthInSubjects(mail);
  });

  it('the SCSW rejects: back to the advocate, and the resubmitted report starts again with the CSW', async () => {
    const assignment = await a.assignment();
    const docId = (await a.submit(assignment._id, FORM)).body._id;
    const csw = await a.as('csw');
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'approve');
    const scsw = await a.as('scsw');
    await a.decide(scsw, (await a.tasks(scsw, assignment._id))[0]._id, 'reject', 'Wrong termination date');
    expect(await a.document(docId)).toMatchObject({ stage: 'draft', status: 'Rejected' });
    expect((await a.outbox(assignment._id)).at(-1)).toMatchObject({ template: 'document-rejected', to: [EMAIL.advocate], cc: [EMAIL.agencyAdmin] });
    await a.resubmit(docId, { terminationDate: '2027-06-29' });
    expect((await a.tasks(csw, assignment._id)).map((t) => t.activityId)).toEqual(['reviewWorker']);
    expect((await csw.get(`/api/cases/${assignment._id}`)).body.status).toBe('Active');
  });

  it('reminds the pending approver every day until acted on', async () => {
    const assignment = await a.assignment();
    await a.submit(assignment._id, FORM);
    const reminded = async () => (await a.outbox(assignment._id)).filter((m) => m.template === 'approval-reminder').map((m) => [m.to, m.subject]);
    const line = `CTS reminder: Termination Report for assignment ${assignment.number} is pending your approval`;
    await a.runTimersAt('2031-01-07', '08:00');
    await a.runTimersAt('2031-01-08', '08:00');
    expect(await reminded()).toEqual([[[EMAIL.csw], line], [[EMAIL.csw], line]]);
    const csw = await a.as('csw');
    await a.decide(csw, (await a.tasks(csw, assignment._id))[0]._id, 'approve');
    await a.runTimersAt('2031-01-09', '08:00');
    await a.runTimersAt('2031-01-10', '08:00');
    expect(await reminded()).toEqual([[[EMAIL.csw], line], [[EMAIL.csw], line], [[EMAIL.scsw], line], [[EMAIL.scsw], line]]);
    const scsw = await a.as('scsw');
    await a.decide(scsw, (await a.tasks(scsw, assignment._id))[0]._id, 'approve');
    await a.runTimersAt('2031-01-11', '08:00');
    expect(await reminded()).toHaveLength(4);
  });
});
