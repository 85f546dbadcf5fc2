/**
 * A case type whose deliverable a note completes, a note form whose submit starts a review
 * process (after a check on the case), and a period review of notes: one submit has all three
 * kinds of after-work (start the process, refresh the deliverables, recount the author's tallies).
 */
import { RESUBMITTED_MESSAGE } from '../../src/app.js';
import type { Principal } from '../../src/auth/principal.js';
import { principalOf } from '../../src/auth/users.js';
import type { PeriodReviewRule } from '../../src/reviews/period-reviews.js';
import { buildBpmn, service, task } from '../runtime/bpmn-builder.js';
import { MATTER, createHarness, type Harness } from '../runtime/harness.js';

export const NOTE_REVIEW: PeriodReviewRule = {
  key: 'note-review-month', title: 'Notes', form: 'note', dateField: '/date', scopeField: '/team',
  categoryField: '/kind', measureField: '/minutes', reviewerRoles: ['supervisor'], scopeAttribute: 'team',
};

const CASE_TYPE = {
  ...MATTER,
  schema: { type: 'object', properties: { ...MATTER.schema.properties, openedOn: { type: 'string', format: 'date' } } },
  permissions: { worker: ['createDocument:note', 'editDocument:note'] },
  deliverables: [{ key: 'first-note', title: 'First note', form: 'note', anchor: '/data/openedOn', due: 'P14D' }],
};

const NOTE = {
  title: 'Note',
  onSubmit: { process: 'note-review' },
  schema: {
    type: 'object',
    properties: { text: { type: 'string' }, date: { type: 'string', format: 'date' }, team: { type: 'string' }, kind: { type: 'string' }, minutes: { type: 'integer' } },
    required: ['text'],
  },
  uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/text' }] },
};

/**
 * Start, a check that the case's office is A (a refusal the client can cause), a review task; a
 * rejection reopens the note and waits for it to be submitted again.
 */
const PROCESS = buildBpmn(
  'noteReview',
  [
    { id: 'start', type: 'startEvent', name: 'Submitted' },
    { id: 'join', type: 'exclusiveGateway', name: 'Ready' },
    { id: 'office', type: 'serviceTask', name: 'Office known', body: service('check', { condition: '=case.data.office = "A"', message: 'The case needs office A', field: '/data/office' }) },
    { id: 'review', type: 'userTask', name: 'Review', body: task('supervisor', 'decisions="approve,reject"') },
    { id: 'decided', type: 'exclusiveGateway', name: 'Decision?' },
    { id: 'reopen', type: 'serviceTask', name: 'Reopen', body: service('reopenDocument', { status: 'Rejected' }) },
    { id: 'resubmitted', type: 'intermediateCatchEvent', name: 'Resubmitted', body: `<bpmn:messageEventDefinition messageRef="${RESUBMITTED_MESSAGE}" />` },
    { id: 'done', type: 'endEvent', name: 'Done' },
  ],
  [
    { id: 'f1', from: 'start', to: 'join' },
    { id: 'f2', from: 'join', to: 'office' },
    { id: 'f3', from: 'office', to: 'review' },
    { id: 'f4', from: 'review', to: 'decided' },
    { id: 'ok', from: 'decided', to: 'done', condition: '=decision = "approve"' },
    { id: 'no', from: 'decided', to: 'reopen', condition: '=decision = "reject"' },
    { id: 'f5', from: 'reopen', to: 'resubmitted' },
    { id: 'f6', from: 'resubmitted', to: 'join' },
  ],
).replace('<bpmn:process ', `<bpmn:message id="${RESUBMITTED_MESSAGE}" name="Resubmitted" />\n  <bpmn:process `);

export const overrides = { periodReviews: [NOTE_REVIEW] };

export function openHarness(dir?: string): Promise<Harness> {
  return createHarness(dir, overrides);
}

/** Publishes the definitions and makes the author; returns a draft note on a new case of `office`. */
export async function seedNote(h: Harness, office = 'A'): Promise<{ author: Principal; caseId: string; draftId: string; version: number }> {
  const { definitions, users, cases, documents } = h.engine.services;
  await definitions.publish('caseType', 'matter', CASE_TYPE, 'test');
  await definitions.publish('form', 'note', NOTE, 'test');
  await definitions.publish('process', 'note-review', { xml: PROCESS }, 'test');
  const author = principalOf(await users.create({ email: 'author@example.org', firstName: 'Ann', lastName: 'Author', roles: ['worker'], attributes: {}, password: 'Test-Pass-2031!' }, h.clock.now()));
  await users.create({ email: 'reviewer@example.org', firstName: 'Rae', lastName: 'Reviewer', roles: ['supervisor'], attributes: { team: 'T1' }, password: 'Test-Pass-2031!' }, h.clock.now());
  const matter = await cases.create(author, { caseType: 'matter', data: { subject: 'x', office, openedOn: '2031-01-06' }, people: [{ role: 'worker', userId: author.userId }] });
  const draft = await documents.create(author, matter._id, 'note');
  return { author, caseId: matter._id, draftId: draft._id, version: draft.version };
}

export const NOTE_DATA = { text: 'seen', date: '2031-01-06', team: 'T1', kind: 'visit', minutes: 30 };

/** What the submit's after-work left: the note's instances, the deliverable's outcome, the author's tally for January. */
export async function afterWork(h: Harness, ids: { author: Principal; caseId: string; draftId: string }) {
  const { runtime, deliverables, store } = h.engine.services;
  const instances = await runtime.instances.find({ documentId: ids.draftId });
  const deliverable = (await deliverables.records.findOne({ _id: `${ids.caseId}:first-note` }))!;
  const tally = await store.collection('periodTallies').findOne({ _id: JSON.stringify([NOTE_REVIEW.key, '2031-01', 'T1', ids.author.userId]) });
  return { instances, outcome: deliverable.outcome, documentId: deliverable.documentId, tallyCount: tally?.count ?? 0 };
}
