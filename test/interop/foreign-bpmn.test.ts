/**
 * BPMN files written by other modellers publish when they use only what this engine runs, and
 * then start and run; the others are refused with a message naming each unsupported element
 * (a 4xx, never a crash). The diagrams are the ones shipped with the installed BPMN packages
 * (none ship any today) and those in test/fixtures/foreign-bpmn/, written in Camunda Modeler 7
 * and 8 and bpmn-js styles (their namespaces, exporter attributes and extension elements).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../engine/src/errors.js';
import { createHarness, type Harness } from '../../engine/test/runtime/harness.js';
import { repoRoot } from '../support/engine.js';

const PACKAGES = ['bpmn-moddle', 'bpmn-engine', 'bpmn-elements', 'bpmnlint', 'bpmn-js'];

function findBpmn(dir: string, depth = 0): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = path.join(dir, name);
    if (name.endsWith('.bpmn')) return [file];
    return depth < 8 && statSync(file).isDirectory() ? findBpmn(file, depth + 1) : [];
  });
}

const shipped = PACKAGES.flatMap((name) => findBpmn(path.join(repoRoot, 'node_modules', name)));
const fixtureDir = path.join(repoRoot, 'test/fixtures/foreign-bpmn');
const fixtures = findBpmn(fixtureDir);

/** What each fixture must do: run to its end, or be refused naming these elements. */
const EXPECTED: Record<string, { ends?: string; refused?: Record<string, RegExp> }> = {
  'camunda7-payment-reminder.bpmn': { ends: 'Event_0r5p9tu' },
  'camunda8-shipment.bpmn': { ends: 'Event_0w4k7hz' },
  'camunda7-expense-review.bpmn': {
    refused: {
      Activity_Review: /Review expense \(UserTask\): say who acts on it with <wf:task candidateRoles/,
      Activity_Score: /Score risk \(ScriptTask\): Script tasks cannot run here/,
      Activity_Book: /Book expense \(ServiceTask\): name the engine service it calls/,
    },
  },
  'bpmn-js-triage.bpmn': {
    refused: {
      Gateway_Triage: /Who looks at it\? \(InclusiveGateway\): Inclusive gateways are not supported/,
      Activity_Support: /Support answers \(Task\): A plain task does nothing here/,
      Activity_Engineering: /Engineering checks \(Task\): A plain task does nothing here/,
    },
  },
};

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.destroy());

const keyOf = (file: string) => `foreign-${path.basename(file, '.bpmn').toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64);

/** Publishes the file; the definition, or the refusal with its field errors. */
async function publish(file: string) {
  try {
    return { definition: (await h.engine.services.definitions.publish('process', keyOf(file), { xml: readFileSync(file, 'utf8') }, 'test')).definition };
  } catch (error) {
    expect(error, `${file} is refused as bad input, not a crash`).toBeInstanceOf(ValidationError);
    const refusal = error as ValidationError;
    expect(refusal.status).toBe(422);
    expect(refusal.errors.length).toBeGreaterThan(0);
    for (const problem of refusal.errors) expect(problem.message.length, JSON.stringify(problem)).toBeGreaterThan(10);
    return { refusal };
  }
}

/** Starts an instance and runs it to its end: messages first (what a receive task waits for), then timers. */
async function run(key: string) {
  const { runtime, models } = h.engine.services;
  const started = await runtime.start({ processKey: key, startedBy: 'test' });
  const model = await models.get(key, started.processVersion);
  expect(started.status === 'completed' || started.waiting.length > 0, 'runs to a wait state or the end').toBe(true);
  for (let step = 0; step < 20; step++) {
    const instance = await runtime.get(started._id);
    if (instance.status === 'completed') return instance;
    const messages = instance.waiting
      .map((w) => model.elements.get(w.activityId))
      .map((element) => element?.messageRef?.id ?? element?.eventDefinitions?.find((d: any) => d.messageRef)?.messageRef?.id)
      .filter(Boolean);
    if (messages.length > 0) {
      await runtime.deliver(instance._id, messages[0], {}, 'test');
      continue;
    }
    const timer = [...instance.timers].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
    expect(timer, `${key} waits for nothing it can be given: ${JSON.stringify(instance.waiting)}`).toBeDefined();
    h.clock.set(new Date(timer.dueAt.getTime() + 1000));
    expect(await runtime.fireTimer(instance._id, timer.executionId)).toBe(true);
  }
  throw new Error(`${key} did not end`);
}

describe('BPMN from other modellers', () => {
  it('finds the diagrams (the installed packages ship none today; the fixtures are ours)', () => {
    // Diagrams a package ships (none in the versions installed now) are tried below as well.
    console.log(`foreign BPMN: ${shipped.length} shipped by ${PACKAGES.join(', ')}; ${fixtures.length} fixtures`);
    expect(fixtures.map((f) => path.basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of [...shipped, ...fixtures]) {
    const name = path.relative(repoRoot, file);
    const expected = EXPECTED[path.basename(file)];
    it(`${name}: ${expected?.refused ? 'is refused, naming each unsupported element' : 'publishes and runs'}`, async () => {
      const { definition, refusal } = await publish(file);
      if (expected?.refused) {
        expect(refusal, 'refused').toBeDefined();
        for (const [element, message] of Object.entries(expected.refused)) {
          expect(refusal!.errors.filter((e) => e.path === element).map((e) => e.message), element).toEqual([expect.stringMatching(message)]);
        }
        return;
      }
      if (!expected && refusal) return; // a shipped diagram using what is not supported: refused cleanly is enough
      expect(refusal?.errors ?? [], 'accepted').toEqual([]);
      const done = await run(definition!.key);
      expect(done.status).toBe('completed');
      if (expected?.ends) expect(done.history.filter((e) => e.event === 'activity.enter' && e.type === 'bpmn:EndEvent').map((e) => e.activityId)).toEqual([expected.ends]);
    });
  }
});
