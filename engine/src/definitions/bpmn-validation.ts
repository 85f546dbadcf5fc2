/**
 * Validation of process content `{ xml }`: bpmn-moddle must read the BPMN 2.0 XML without
 * errors or warnings, then bpmnlint (`bpmnlint:recommended`) must report no errors. Lint
 * warnings do not block; they are returned as warnings.
 *
 * Each problem's `path` is the BPMN element id, or `line N` when only the line is known.
 */
import { createRequire } from 'node:module';
import { parseBpmn, type ModdleElement, type ModdleWarning } from '../bpmn/moddle.js';
import type { FieldError } from '../errors.js';
import { isPlainObject } from '../json-pointer.js';
import type { BpmnProblem, ValidationOutcome } from './types.js';

interface LintReport {
  id?: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}

interface BpmnLinter {
  lint(root: unknown): Promise<Record<string, LintReport[]>>;
}

// bpmnlint is CommonJS without declarations: describe the little used here with the interfaces above.
const require = createRequire(import.meta.url);

/**
 * A new linter for every diagram: a linter keeps its rule instances, and some rules keep
 * state between runs (no-duplicate-sequence-flows would flag the next diagram's flows).
 */
function createLinter(): BpmnLinter {
  const { Linter } = require('bpmnlint');
  const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
  return new Linter({ config: { extends: 'bpmnlint:recommended' }, resolver: new NodeResolver({ require }) }) as BpmnLinter;
}

export async function validateProcessContent(content: unknown): Promise<ValidationOutcome> {
  if (!isPlainObject(content)) return refuse({ path: '', message: 'The content must be a JSON object with the BPMN XML in "xml"' });
  if (typeof content.xml !== 'string' || content.xml.trim() === '') {
    return refuse({ path: '/xml', message: 'The BPMN 2.0 XML ("xml") is required' });
  }

  let root: ModdleElement;
  try {
    const read = await parseBpmn(content.xml);
    const problems = read.warnings.map(describeReadWarning);
    if (problems.length > 0) return { errors: problems, warnings: [] };
    root = read.rootElement;
  } catch (error) {
    // Either the XML itself is broken (the error says where), or it is XML but not BPMN
    // (the error says so and its warnings say where).
    const nested = ((error as { warnings?: ModdleWarning[] }).warnings ?? []).map(describeReadWarning);
    const notBpmn = String((error as Error)?.message).startsWith('failed to parse document as');
    const problems = notBpmn || nested.length === 0 ? [describeReadWarning(error as ModdleWarning), ...nested] : nested;
    return { errors: problems, warnings: [] };
  }

  if (root.$type !== 'bpmn:Definitions') {
    return refuse({ path: '/xml', message: 'The XML is not a BPMN 2.0 document (its root must be <bpmn:definitions>)' });
  }
  if (!((root.rootElements ?? []) as ModdleElement[]).some((element) => element.$type === 'bpmn:Process')) {
    return refuse({ path: root.id ?? '/xml', message: 'The BPMN file has no process' });
  }

  const errors: BpmnProblem[] = [];
  const warnings: BpmnProblem[] = [];
  const reports = await createLinter().lint(root);
  for (const [rule, list] of Object.entries(reports)) {
    for (const report of list) {
      const problem: BpmnProblem = {
        path: report.id ?? '/xml',
        message: `${report.message} (rule ${rule})`,
        rule,
        ...(report.id ? { element: report.id } : {}),
      };
      // A rule that crashed says nothing about the diagram: report it without blocking.
      (report.category === 'error' ? errors : warnings).push(problem);
    }
  }
  return { errors, warnings, model: root };
}

function refuse(problem: FieldError): ValidationOutcome {
  return { errors: [problem], warnings: [] };
}

const UNPARSABLE = /^unparsable content (.*?) detected\s+line: (\d+)\s+column: (\d+)\s+nested error: (.*)$/s;
const UNRESOLVED = /^unresolved reference <(.*)>$/;

/** Turns what bpmn-moddle reports into a problem a program administrator can act on. */
function describeReadWarning(warning: ModdleWarning): BpmnProblem {
  const message = String(warning?.message ?? warning);
  const parse = UNPARSABLE.exec(message);
  if (parse) {
    // bpmn-moddle counts lines and columns from 0.
    const line = Number(parse[2]) + 1;
    const column = Number(parse[3]) + 1;
    const what = parse[1].length > 80 ? `${parse[1].slice(0, 77)}...` : parse[1];
    return {
      path: `line ${line}`,
      message: `The XML cannot be read at line ${line}, column ${column} (${what}): ${parse[4].trim()}`,
      line,
      column,
    };
  }
  const elementId = warning?.element?.id;
  const unresolved = UNRESOLVED.exec(message);
  if (unresolved) {
    const property = (warning.property ?? 'a reference').replace(/^bpmn:/, '');
    return {
      path: elementId ?? '/xml',
      message: `"${property}" refers to "${unresolved[1]}", but there is no element with that id`,
      ...(elementId ? { element: elementId } : {}),
    };
  }
  if (message.startsWith('failed to parse document as')) {
    return { path: '/xml', message: 'The XML is not a BPMN 2.0 document (its root must be <bpmn:definitions>)' };
  }
  return { path: elementId ?? '/xml', message: `The BPMN cannot be read: ${message}`, ...(elementId ? { element: elementId } : {}) };
}
