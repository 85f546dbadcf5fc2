/**
 * Values a decision carries (an option chosen, a person named) are checked by the services that
 * use them: a bad value answers 422 naming the field, the task stays open and nothing is written.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildBpmn, service, task } from './bpmn-builder.js';
import { createHarness, seedApproval, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  await seedApproval(h);
  await h.engine.services.definitions.publish('caseType', 'squad', {
    title: 'Squad',
    numbering: { prefix: 'S-', digits: 4 },
    statuses: ['New', 'Set'],
    initialStatus: 'New',
    roles: ['worker', 'member'],
    schema: { type: 'object', properties: { team: { type: 'string', enum: ['Red', 'Blue'] }, office: { type: 'string' } } },
    uischema: { type: 'VerticalLayout', elements: [{ type: 'Control', scope: '#/properties/team' }] },
  }, 'test');
});
afterEach(() => h.destroy());

const oneStep = (key: string, name: string, inputs: Record<string, string>) => buildBpmn(key, [
  { id: 'start', type: 'startEvent' },
  { id: 'decide', type: 'userTask', name: 'Decide', body: task('supervisor', 'decisions="go"') },
  { id: 'act', type: 'serviceTask', name: 'Act', body: service(name, inputs) },
  { id: 'end', type: 'endEvent' },
], [
  { id: 'f1', from: 'start', to: 'decide' },
  { id: 'f2', from: 'decide', to: 'act' },
  { id: 'f3', from: 'act', to: 'end' },
]);

async function started(key: string, xml: string) {
  const { definitions, cases, runtime, tasks } = h.engine.services;
  await definitions.publish('process', key, { xml }, 'test');
  const squad = await cases.create(h.users.worker, { caseType: 'squad', data: { office: 'A' }, people: [{ role: 'worker', userId: h.users.worker.userId }] });
  const instance = await runtime.start({ processKey: key, caseId: squad._id, startedBy: h.users.worker.userId });
  const [open] = await tasks.listFor(h.users.supA1);
  return { squad, instance, open };
}

it('setCaseData refuses a value the case type schema does not allow, and a required value missing', async () => {
  const { cases, tasks } = h.engine.services;
  const { squad, instance, open } = await started('pick-team', oneStep('pick-team', 'setCaseData', { field: '/team', value: '=team', required: 'true' }));
  await expect(tasks.complete(h.users.supA1, open._id, { decision: 'go', data: { team: 'Purple' } })).rejects.toMatchObject({
    status: 422,
    errors: [{ path: '/data/team', message: expect.stringMatching(/must be one of/i) }],
  });
  await expect(tasks.complete(h.users.supA1, open._id, { decision: 'go' })).rejects.toMatchObject({
    status: 422,
    errors: [{ path: '/data/team', message: 'is required' }],
  });
  expect((await cases.cases.findOne({ _id: squad._id }))!.data.team).toBeUndefined();
  expect((await tasks.tasks.findOne({ _id: open._id }))!.status).toBe('open');

  await tasks.complete(h.users.supA1, open._id, { decision: 'go', data: { team: 'Blue' } });
  expect((await cases.cases.findOne({ _id: squad._id }))!.data.team).toBe('Blue');
  expect((await h.engine.services.runtime.get(instance._id)).status).toBe('completed');
});

it('addCasePerson refuses an unknown user, a role the case type lacks and a person outside "among"', async () => {
  const { cases, tasks, definitions } = h.engine.services;
  const { squad, open } = await started('enlist', oneStep('enlist', 'addCasePerson', { role: 'member', userId: '=memberId', among: 'users:supervisor where office = /data/office' }));
  await expect(tasks.complete(h.users.supA1, open._id, { decision: 'go', data: { memberId: 'nobody' } })).rejects.toMatchObject({
    status: 422, errors: [{ path: '/userId', message: expect.stringContaining('users:supervisor where office = /data/office') }],
  });
  await expect(tasks.complete(h.users.supA1, open._id, { decision: 'go', data: { memberId: h.users.supB.userId } })).rejects.toMatchObject({ status: 422 });
  expect((await cases.cases.findOne({ _id: squad._id }))!.people).toHaveLength(1);
  await tasks.complete(h.users.supA1, open._id, { decision: 'go', data: { memberId: h.users.supA2.userId } });
  expect((await cases.cases.findOne({ _id: squad._id }))!.people).toContainEqual({ role: 'member', userId: h.users.supA2.userId });

  await definitions.publish('process', 'bad-role', { xml: oneStep('bad-role', 'addCasePerson', { role: 'captain', userId: '=memberId' }) }, 'test');
  const other = await cases.create(h.users.worker, { caseType: 'squad', data: { office: 'A' } });
  await h.engine.services.runtime.start({ processKey: 'bad-role', caseId: other._id, startedBy: h.users.worker.userId });
  const next = (await tasks.listFor(h.users.supA1)).find((t) => t.caseId === other._id)!;
  await expect(tasks.complete(h.users.supA1, next._id, { decision: 'go', data: { memberId: h.users.supA2.userId } })).rejects.toMatchObject({
    status: 422, errors: [{ path: '/role', message: expect.stringContaining('"captain" is not a role') }],
  });
});

it('check refuses the step with its message while the rule is false, over the case as it is now', async () => {
  const { cases, tasks } = h.engine.services;
  const { squad, instance, open } = await started('guarded', oneStep('guarded', 'check', {
    condition: '=case.data.team = "Red"', message: 'Pick the red team first', field: '/data/team',
  }));
  await expect(tasks.complete(h.users.supA1, open._id, { decision: 'go' })).rejects.toMatchObject({
    status: 422, errors: [{ path: '/data/team', message: 'Pick the red team first' }],
  });
  // the live engine is cached; the rule must still see the case as changed since
  await cases.cases.updateOne({ _id: squad._id }, { $set: { 'data.team': 'Red' } });
  await tasks.complete(h.users.supA1, open._id, { decision: 'go' });
  expect((await h.engine.services.runtime.get(instance._id)).status).toBe('completed');
});

it('refuses at publish a check whose condition is not FEEL and an "among" that is not a rule', async () => {
  const { definitions } = h.engine.services;
  await expect(definitions.publish('process', 'bad-check', { xml: oneStep('bad-check', 'check', { condition: 'yes' }) }, 'test')).rejects.toMatchObject({
    status: 422, errors: expect.arrayContaining([expect.objectContaining({ path: 'act', message: expect.stringContaining('"condition" must be a FEEL rule') })]),
  });
  await expect(definitions.publish('process', 'bad-among', { xml: oneStep('bad-among', 'addCasePerson', { role: 'member', userId: 'x', among: 'supervisors' }) }, 'test')).rejects.toMatchObject({
    status: 422, errors: expect.arrayContaining([expect.objectContaining({ path: 'act', message: expect.stringContaining('the input "among"') })]),
  });
});
