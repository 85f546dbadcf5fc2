/** Reads BPMN 2.0 XML with bpmn-moddle, the project's `wf:` extension included. */
import { BpmnModdle, type ParseResult } from 'bpmn-moddle';
import { wfModdleDescriptor } from './extension.js';

export type { ModdleElement, ModdleWarning, ParseResult } from 'bpmn-moddle';

export function parseBpmn(xml: string): Promise<ParseResult> {
  return new BpmnModdle({ wf: wfModdleDescriptor }).fromXML(xml);
}
