/** The designer's pure models: which process elements changed, and form tree edits. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { wfModdleDescriptor } from '../../engine/src/bpmn/moddle-extension.js';
import { diffProcesses } from '../../designer/src/process/process-diff.js';
import { addField, moveNode, moveTo, nodeAt, removeNode, type FormParts } from '../../designer/src/form/form-model.js';
import { repoRoot } from '../support/engine.js';

const moddle = new BpmnModdle({ wf: wfModdleDescriptor });
const read = async (xml: string) => (await moddle.fromXML(xml)).rootElement;

describe('process diff', () => {
  it('finds added, removed and changed elements, ignoring layout', async () => {
    const xml = await readFile(path.join(repoRoot, 'processes', 'referral-approval.bpmn'), 'utf8');
    const changed = xml
      .replace('candidateRoles="SCSW,SDPO"', 'candidateRoles="SCSW"')
      .replace(/<di:waypoint x="1095" y="120" \/>/, '<di:waypoint x="1099" y="125" />')
      .replace('<bpmn:startEvent id="referralSubmitted" name="Referral submitted">', '<bpmn:startEvent id="referralStarted" name="Referral submitted">')
      .replace(/bpmnElement="referralSubmitted"/g, 'bpmnElement="referralStarted"')
      .replace(/sourceRef="referralSubmitted"/g, 'sourceRef="referralStarted"');
    const found = diffProcesses(await read(xml), await read(changed));
    expect(found.added).toEqual(['referralStarted']);
    expect(found.removed).toEqual(['referralSubmitted']);
    expect(found.changed).toEqual(expect.arrayContaining(['supervisorReview']));
    expect(found.changed).not.toContain('supervisorApproved'); // only its drawing moved
    expect(diffProcesses(await read(xml), await read(xml))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('form model', () => {
  const parts = (): FormParts => ({
    schema: { type: 'object', properties: { a: { type: 'string', title: 'A' }, b: { type: 'string', title: 'B' } }, required: ['b'] },
    uischema: { type: 'VerticalLayout', elements: [
      { type: 'Group', label: 'One', elements: [{ type: 'Control', scope: '#/properties/a' }] },
      { type: 'Control', scope: '#/properties/b' },
    ] },
  });

  it('adds a field to a section with a fresh name', () => {
    const { parts: next, path: at } = addField(parts(), [0], 'date', 'A');
    expect(at).toEqual([0, 1]);
    expect(nodeAt(next.uischema, at).scope).toBe('#/properties/a2');
    expect(next.schema.properties.a2).toEqual({ type: 'string', format: 'date', title: 'A' });
  });

  it('moves by one place and by dragging into or before another node', () => {
    expect(moveNode(parts(), [1], -1).parts.uischema.elements[0].scope).toBe('#/properties/b');
    expect(moveNode(parts(), [0], -1).path).toEqual([0]); // already first
    const into = moveTo(parts(), [1], [0], true);
    expect(into.path).toEqual([0, 1]);
    expect(into.parts.uischema.elements).toHaveLength(1);
    const before = moveTo(parts(), [1], [0, 0]);
    expect(before.path).toEqual([0, 0]);
    expect(nodeAt(before.parts.uischema, [0, 1]).scope).toBe('#/properties/a');
    expect(moveTo(parts(), [0], [0, 0]).parts).toEqual(parts()); // not into itself
  });

  it('removes a field with its schema property and required entry', () => {
    const next = removeNode(parts(), [1]);
    expect(next.schema.properties.b).toBeUndefined();
    expect(next.schema.required).toEqual([]);
  });
});
