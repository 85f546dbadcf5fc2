/** queueNotification: a template rendered and recipients resolved from rules, queued in the step that causes it. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildBpmn, service, task } from './bpmn-builder.js';
import { createHarness, openMatter, seedApproval, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await writeFile(path.join(h.dir, 'inboxes.json'), JSON.stringify({ inboxes: { intake: { address: 'intake-desk@example.org', name: 'Intake desk' } } }));
  h.config.inboxesFile = path.join(h.dir, 'inboxes.json');
  await h.close();
  await h.open();
  await seedApproval(h);
  await h.engine.services.definitions.publish('template', 'decided', {
    title: 'Decision',
    subject: 'Matter {{ case.number }}: {{ vars.decision }}',
    text: 'Reason: {{ vars.reason }}\nSubject: {{ case.data.subject }}\n{{ link }}',
  }, 'test');
});
afterEach(() => h.destroy());

const notifyingProcess = (to: string, cc: string) => buildBpmn('notifying', [
  { id: 'start', type: 'startEvent' },
  { id: 'decide', type: 'userTask', name: 'Decide', body: task('supervisor', 'decisions="approve,reject" reasonRequiredOn="reject"') },
  { id: 'tell', type: 'serviceTask', name: 'Tell the worker', body: service('queueNotification', { template: 'decided', to, cc }) },
  { id: 'end', type: 'endEvent' },
], [
  { id: 'f1', from: 'start', to: 'decide' },
  { id: 'f2', from: 'decide', to: 'tell' },
  { id: 'f3', from: 'tell', to: 'end' },
]);

it('queues the rendered message to the people the rules name, each address once', async () => {
  const { definitions, runtime, tasks, outbox } = h.engine.services;
  await definitions.publish('process', 'notifying', { xml: notifyingProcess('case:worker, inbox:intake', 'case:supervisor, users:admin, case:worker') }, 'test');
  const matter = await openMatter(h);
  const instance = await runtime.start({ processKey: 'notifying', caseId: matter._id, startedBy: h.users.worker.userId });
  const [open] = await tasks.listFor(h.users.supA1);
  await tasks.complete(h.users.supA1, open._id, { decision: 'reject', reason: 'Missing <dates>' });

  const queued = await outbox.records.find({ instanceId: instance._id });
  expect(queued).toHaveLength(1);
  expect(queued[0]).toMatchObject({
    template: 'decided', templateVersion: 1, status: 'queued', caseId: matter._id,
    subject: `Matter ${matter.number}: reject`,
    to: [{ email: 'worker@example.org', name: 'worker Test', userId: h.users.worker.userId }, { email: 'intake-desk@example.org', name: 'Intake desk' }],
    cc: [{ email: 'supa1@example.org', userId: h.users.supA1.userId }, { email: 'admin@example.org', userId: h.users.admin.userId }],
    unresolved: [],
  });
  expect(queued[0].text).toBe(`Reason: Missing <dates>\nSubject: Housing\n${h.config.publicUrl}/cases/${matter._id}`);
  expect(queued[0].html).toContain('Missing &lt;dates&gt;');
});

it('refuses at publish a rule that is not one, and an inbox that is not configured', async () => {
  const { definitions } = h.engine.services;
  await expect(definitions.publish('process', 'bad-rules', { xml: notifyingProcess('worker@example.org', 'inbox:nowhere') }, 'test')).rejects.toMatchObject({
    status: 422,
    errors: expect.arrayContaining([
      expect.objectContaining({ path: 'tell', message: expect.stringContaining('the input "to": "worker@example.org" is not a recipient rule') }),
      expect.objectContaining({ path: 'tell', message: expect.stringContaining('the input "cc": there is no configured inbox "nowhere"') }),
    ]),
  });
});

it('refuses a template that would not render, naming the field', async () => {
  await expect(h.engine.services.definitions.publish('template', 'broken', { title: 'x', subject: 'Hi {{ user.password }}', text: 'x' }, 'test')).rejects.toMatchObject({
    status: 422,
    errors: [{ path: '/subject', message: expect.stringContaining('{{ user.password }}') }],
  });
});

it('saves the notice with its step or not at all: a step that fails later queues nothing', async () => {
  const { definitions, runtime, tasks, outbox } = h.engine.services;
  const failing = buildBpmn('failing', [
    { id: 'start', type: 'startEvent' },
    { id: 'decide', type: 'userTask', name: 'Decide', body: task('supervisor') },
    { id: 'tell', type: 'serviceTask', name: 'Tell the worker', body: service('queueNotification', { template: 'decided', to: 'case:worker' }) },
    { id: 'mark', type: 'serviceTask', name: 'Mark', body: service('setCaseStatus', { status: 'No Such Status' }) },
    { id: 'end', type: 'endEvent' },
  ], [
    { id: 'f1', from: 'start', to: 'decide' },
    { id: 'f2', from: 'decide', to: 'tell' },
    { id: 'f3', from: 'tell', to: 'mark' },
    { id: 'f4', from: 'mark', to: 'end' },
  ]);
  await definitions.publish('process', 'failing', { xml: failing }, 'test');
  const matter = await openMatter(h);
  const instance = await runtime.start({ processKey: 'failing', caseId: matter._id, startedBy: h.users.worker.userId });
  const [open] = await tasks.listFor(h.users.supA1);
  await expect(tasks.complete(h.users.supA1, open._id, { decision: 'complete' })).rejects.toMatchObject({ status: 422 });
  expect(await outbox.records.countDocuments({ instanceId: instance._id })).toBe(0);
  expect((await tasks.tasks.findOne({ _id: open._id }))?.status).toBe('open');
  expect((await runtime.get(instance._id)).waiting.map((w) => w.activityId)).toEqual(['decide']);
});
