import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBpmn, service, task, timer } from './bpmn-builder.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.destroy());

const simple = (middle: Parameters<typeof buildBpmn>[1][number], extraFlows: Parameters<typeof buildBpmn>[2] = []) =>
  buildBpmn('p', [{ id: 'start', type: 'startEvent' }, middle, { id: 'end', type: 'endEvent' }], [
    { id: 'a', from: 'start', to: middle.id },
    { id: 'b', from: middle.id, to: 'end' },
    ...extraFlows,
  ]);

async function refusal(xml: string) {
  try {
    await h.engine.services.definitions.publish('process', 'checked', { xml }, 'test');
  } catch (error: any) {
    expect(error.status).toBe(422);
    return error.errors.map((e: any) => `${e.path}: ${e.message}`).join('\n');
  }
  throw new Error('published a process the runtime cannot run');
}

describe('publishing a process checks it can run here', () => {
  it('refuses a script task, saying why and what to use instead', async () => {
    const xml = simple({ id: 'calc', type: 'scriptTask', body: '<bpmn:script>x = 1</bpmn:script>' });
    expect(await refusal(xml)).toMatch(/^calc: calc \(ScriptTask\): Script tasks cannot run here.*service task/);
  });

  it('refuses a JavaScript condition and a FEEL syntax error', async () => {
    const xml = buildBpmn('p', [
      { id: 'start', type: 'startEvent' },
      { id: 'gw', type: 'exclusiveGateway', name: 'Which?' },
      { id: 'end1', type: 'endEvent' },
      { id: 'end2', type: 'endEvent' },
    ], [
      { id: 'a', from: 'start', to: 'gw' },
      { id: 'js', from: 'gw', to: 'end1', condition: '=decision = ' },
      { id: 'ok', from: 'gw', to: 'end2', condition: '=decision = "b"' },
    ]).replace('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=decision = </bpmn:conditionExpression>',
      '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, true)</bpmn:conditionExpression>');
    expect(await refusal(xml)).toMatch(/js: .*conditions in javascript cannot run here/);
    const feel = buildBpmn('p', [
      { id: 'start', type: 'startEvent' },
      { id: 'gw', type: 'exclusiveGateway', name: 'Which?' },
      { id: 'end1', type: 'endEvent' },
      { id: 'end2', type: 'endEvent' },
    ], [
      { id: 'a', from: 'start', to: 'gw' },
      { id: 'bad', from: 'gw', to: 'end1', condition: '=decision = "a' },
      { id: 'ok', from: 'gw', to: 'end2', condition: '=decision = "b"' },
    ]);
    expect(await refusal(feel)).toMatch(/bad: .*the condition is not valid FEEL/);
  });

  it('refuses a user task without candidate roles and a service nobody registered', async () => {
    expect(await refusal(simple({ id: 'ask', type: 'userTask' }))).toMatch(/ask: .*candidateRoles/);
    expect(await refusal(simple({ id: 'call', type: 'serviceTask', body: service('launchRockets') }))).toMatch(/call: .*no engine service "launchRockets" \(there are: .*setCaseStatus/);
  });

  it('refuses a timer value it cannot read', async () => {
    const xml = buildBpmn('p', [
      { id: 'start', type: 'startEvent' },
      { id: 'wait', type: 'intermediateCatchEvent', name: 'Wait', body: timer('timeDuration', 'fourteen days') },
      { id: 'end', type: 'endEvent' },
    ], [{ id: 'a', from: 'start', to: 'wait' }, { id: 'b', from: 'wait', to: 'end' }]);
    expect(await refusal(xml)).toMatch(/wait: .*fourteen days/);
  });

  it('publishes a process that uses only what the runtime supports', async () => {
    const xml = simple({ id: 'ask', type: 'userTask', body: task('clerk', 'due="P2D"') });
    const { definition } = await h.engine.services.definitions.publish('process', 'fine', { xml }, 'test');
    expect(definition.version).toBe(1);
  });
});
