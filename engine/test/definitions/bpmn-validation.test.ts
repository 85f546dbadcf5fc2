import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { DefinitionService, DEFINITIONS_COLLECTION, type BpmnProblem } from '../../src/definitions/index.js';
import type { Store } from '../../src/store/types.js';
import { NO_END_EVENT_BPMN, START_WITHOUT_OUTGOING_BPMN, VALID_BPMN } from './fixtures.js';
import { openTestStore } from './test-store.js';

let store: Store;
let close: () => Promise<void>;
let service: DefinitionService;

beforeEach(async () => {
  ({ store, close } = await openTestStore());
  service = new DefinitionService(store);
});

afterEach(async () => {
  await close();
});

async function problems(content: unknown): Promise<BpmnProblem[]> {
  const error = await service.publish('process', 'review', content, 'ada').then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  expect(await store.collection(DEFINITIONS_COLLECTION).countDocuments({})).toBe(0);
  return (error as ValidationError).errors;
}

describe('processes', () => {
  it('publishes a complete process with diagram data', async () => {
    const result = await service.publish('process', 'review', { xml: VALID_BPMN }, 'ada');
    expect(result).toMatchObject({ created: true, warnings: [], definition: { version: 1, content: { xml: VALID_BPMN } } });
    // Linting again (a fresh linter each time) finds nothing either: republishing is idempotent.
    expect((await service.publish('process', 'review', { xml: VALID_BPMN }, 'ada')).created).toBe(false);
  });

  it('refuses what is not XML, naming the line', async () => {
    const errors = await problems({ xml: 'this is not XML' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'line 1', line: 1 });
    expect(errors[0].message).toMatch(/^The XML cannot be read at line 1, column 1/);
  });

  it('refuses XML that breaks off, naming the line', async () => {
    const broken = VALID_BPMN.replace('</bpmn:userTask>', '');
    const errors = await problems({ xml: broken });
    expect(errors[0].path).toMatch(/^line \d+$/);
    expect(errors[0].line).toBeGreaterThan(10);
  });

  it('refuses XML that is not BPMN', async () => {
    const errors = await problems({ xml: '<?xml version="1.0"?><invoice id="1"/>' });
    expect(errors[0].message).toContain('not a BPMN 2.0 document');
  });

  it('refuses references to elements that do not exist, naming the element', async () => {
    const errors = await problems({ xml: VALID_BPMN.replace('targetRef="End"', 'targetRef="Ending"') });
    expect(errors).toContainEqual(expect.objectContaining({
      path: 'Flow_2',
      element: 'Flow_2',
      message: '"targetRef" refers to "Ending", but there is no element with that id',
    }));
  });

  it('refuses a start event with no outgoing flow, with rule, element and message', async () => {
    const errors = await problems({ xml: START_WITHOUT_OUTGOING_BPMN });
    expect(errors).toContainEqual({
      path: 'Start',
      element: 'Start',
      rule: 'no-disconnected',
      message: 'Element is not connected (rule no-disconnected)',
    });
    expect(errors.map((e) => e.rule)).toContain('no-implicit-start');
  });

  it('refuses a process without an end event', async () => {
    const errors = await problems({ xml: NO_END_EVENT_BPMN });
    expect(errors).toContainEqual(expect.objectContaining({ path: 'review', rule: 'end-event-required' }));
  });

  it('refuses a process without diagram data (bpmnlint no-bpmndi)', async () => {
    const withoutDiagram = VALID_BPMN.replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, '');
    const errors = await problems({ xml: withoutDiagram });
    expect(new Set(errors.map((e) => e.rule))).toEqual(new Set(['no-bpmndi']));
  });

  it('returns lint warnings without blocking', async () => {
    // A second sequence flow and an exclusive gateway join would be errors; an inclusive gateway is only a warning.
    const withInclusive = VALID_BPMN
      .replace('<bpmn:userTask id="Review" name="Review request">', '<bpmn:inclusiveGateway id="Review" name="Review request">')
      .replace('</bpmn:userTask>', '</bpmn:inclusiveGateway>');
    const result = await service.publish('process', 'review', { xml: withInclusive }, 'ada');
    expect(result.created).toBe(true);
    expect(result.warnings).toContainEqual(expect.objectContaining({ path: 'Review', rule: 'no-inclusive-gateway' }));
  });

  it('requires the xml', async () => {
    expect((await problems({})).map((e) => e.path)).toEqual(['/xml']);
    expect((await problems({ xml: '   ' })).map((e) => e.path)).toEqual(['/xml']);
  });
});
