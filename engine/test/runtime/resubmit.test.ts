/**
 * A form names the process its documents start on submit; a document the process reopened and
 * the author submits again continues the same instance, which receives the message
 * `documentResubmitted` (here: a message catch event after a rejection).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESUBMITTED_MESSAGE } from '../../src/app.js';
import { principalOf } from '../../src/auth/users.js';
import type { Principal } from '../../src/auth/principal.js';
import { buildBpmn, service, task } from './bpmn-builder.js';
import { createHarness, MATTER, type Harness } from './harness.js';

let h: Harness;
let author: Principal;
let reviewer: Principal;

const NOTE = {
  title: 'Note',
  onSubmit: { process: 'note-review' },
  schema: { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'] },
  uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/text' }] },
};

function noteReview(): string {
  const xml = buildBpmn(
    'noteReview',
    [
      { id: 'start', type: 'startEvent', name: 'Submitted' },
      { id: 'join', type: 'exclusiveGateway', name: 'Ready for review' },
      { id: 'review', type: 'userTask', name: 'Review', body: task('supervisor', 'decisions="approve,reject" reasonRequiredOn="reject"') },
      { id: 'decided', type: 'exclusiveGateway', name: 'Decision?' },
      { id: 'reopen', type: 'serviceTask', name: 'Reopen', body: service('reopenDocument', { status: 'Rejected' }) },
      { id: 'resubmitted', type: 'intermediateCatchEvent', name: 'Author resubmits', body: `<bpmn:messageEventDefinition messageRef="${RESUBMITTED_MESSAGE}" />` },
      { id: 'approved', type: 'serviceTask', name: 'Approve', body: service('setDocumentStatus', { status: 'Approved' }) },
      { id: 'done', type: 'endEvent', name: 'Done' },
    ],
    [
      { id: 'f1', from: 'start', to: 'join' },
      { id: 'f2', from: 'join', to: 'review' },
      { id: 'f3', from: 'review', to: 'decided' },
      { id: 'ok', from: 'decided', to: 'approved', condition: '=decision = "approve"' },
      { id: 'no', from: 'decided', to: 'reopen', condition: '=decision = "reject"' },
      { id: 'f4', from: 'reopen', to: 'resubmitted' },
      { id: 'f5', from: 'resubmitted', to: 'join' },
      { id: 'f6', from: 'approved', to: 'done' },
    ],
  );
  return xml.replace('<bpmn:process ', `<bpmn:message id="${RESUBMITTED_MESSAGE}" name="Document resubmitted" />\n  <bpmn:process `);
}

beforeEach(async () => {
  h = await createHarness();
  const { definitions, users } = h.engine.services;
  await definitions.publish('caseType', 'matter', { ...MATTER, permissions: { worker: ['createDocument:note', 'editDocument:note'] } }, 'test');
  await definitions.publish('form', 'note', NOTE, 'test');
  await definitions.publish('process', 'note-review', { xml: noteReview() }, 'test');
  const make = async (name: string, role: string) =>
    principalOf(await users.create({ email: `${name}@example.org`, firstName: name, lastName: 'Test', roles: [role], attributes: {}, password: 'Test-Pass-2031!' }, h.clock.now()));
  author = await make('author', 'worker');
  reviewer = await make('reviewer', 'supervisor');
});
afterEach(() => h.destroy());

describe('resubmitting a reopened document', () => {
  it('continues the running instance instead of starting another', async () => {
    const { cases, documents, tasks, runtime } = h.engine.services;
    const matter = await cases.create(author, { caseType: 'matter', data: { subject: 'x' }, people: [{ role: 'worker', userId: author.userId }] });
    const draft = await documents.create(author, matter._id, 'note');
    const submitted = await documents.submit(author, draft._id, { data: { text: 'first' }, signatureName: author.name, expectedVersion: draft.version });

    const [first] = await tasks.listFor(reviewer);
    await tasks.complete(reviewer, first._id, { decision: 'reject', reason: 'more detail' });
    const reopened = await documents.documents.findOne({ _id: submitted._id });
    expect(reopened).toMatchObject({ stage: 'draft', status: 'Rejected' });
    expect(await tasks.listFor(reviewer)).toEqual([]);

    await documents.submit(author, submitted._id, { data: { text: 'second' }, signatureName: author.name, expectedVersion: reopened!.version });
    const instances = await runtime.instances.find({ documentId: submitted._id });
    expect(instances.map((i) => i._id)).toEqual([first.instanceId]);
    const [second] = await tasks.listFor(reviewer);
    expect(second).toMatchObject({ instanceId: first.instanceId, activityId: 'review', status: 'open' });
    expect(second._id).not.toBe(first._id);

    await tasks.complete(reviewer, second._id, { decision: 'approve' });
    expect((await runtime.instances.findOne({ _id: first.instanceId }))!.status).toBe('completed');
    expect((await documents.documents.findOne({ _id: submitted._id }))!.status).toBe('Approved');
    const history = (await runtime.get(first.instanceId)).history;
    expect(history.filter((e) => e.event === 'message')).toEqual([expect.objectContaining({ message: RESUBMITTED_MESSAGE, by: author.userId })]);
  });
});
