/** The shapes the definitions module stores and returns. */
import type { FieldError } from '../errors.js';
import type { CaseDisplay } from './case-display.js';

export const DEFINITION_KINDS = ['form', 'caseType', 'process', 'lookup', 'template', 'calendar'] as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[number];

/** Kinds whose content is a JSON Schema with a JSON Forms UI schema. */
export const FORM_KINDS = ['form', 'caseType'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

export const KEY_PATTERN = /^[a-z][a-z0-9-]{1,63}$/;

export function isDefinitionKind(value: unknown): value is DefinitionKind {
  return (DEFINITION_KINDS as readonly unknown[]).includes(value);
}

export function isFormKind(value: unknown): value is FormKind {
  return (FORM_KINDS as readonly unknown[]).includes(value);
}

/** One published version. Never changed after it is stored. */
export interface Definition<C = any> {
  /** `${kind}:${key}:${version}` */
  _id: string;
  kind: DefinitionKind;
  key: string;
  version: number;
  content: C;
  /** sha256 (hex) of the content's canonical, key-sorted JSON. */
  hash: string;
  publishedAt: Date;
  publishedBy: string;
}

/** A version without its content, as `versions()` lists them. */
export type DefinitionSummary = Omit<Definition, 'content'>;

export interface PublishResult<C = any> {
  definition: Definition<C>;
  /** false when the content equals the latest version's: nothing new was stored. */
  created: boolean;
  /** Problems that do not block publishing (bpmnlint warnings, warnings of extra checks). */
  warnings: FieldError[];
}

/** A problem found in a BPMN file; `path` is the element id, or `line N` when only the line is known. */
export interface BpmnProblem extends FieldError {
  rule?: string;
  element?: string;
  line?: number;
  column?: number;
}

export interface ValidationOutcome {
  errors: FieldError[];
  warnings: FieldError[];
  /** What the validator read, handed to extra checks (for processes: bpmn-moddle's `bpmn:Definitions` root). */
  model?: unknown;
}

export interface CheckContext {
  kind: DefinitionKind;
  key: string;
  /** For processes: the `bpmn:Definitions` root element bpmn-moddle read from the XML. */
  model?: unknown;
}

/** What an extra check answers: the problems that block publishing, or errors and warnings apart. */
export type CheckOutcome = FieldError[] | { errors?: FieldError[]; warnings?: FieldError[] } | void;

/**
 * An extra rule for one kind, run after the built-in validation passed (so the content is
 * well formed). Problems use the same `path` conventions as the built-in ones.
 */
export type DefinitionCheck = (content: any, context: CheckContext) => CheckOutcome | Promise<CheckOutcome>;

/** Content of a form (and the data part of a case type). Other metadata is kept as it is. */
export interface FormContent {
  title: string;
  description?: string;
  schema: Record<string, any>;
  uischema: Record<string, any>;
  /** Pointer into the document → pointer into the case record. */
  prefill?: Record<string, string>;
  /** The process started when a document of this form is submitted. */
  onSubmit?: { process: string };
  /** Pointer into the document (one `-` for every entry of a list) → FEEL expression the server computes it with. */
  computed?: Record<string, string>;
  [other: string]: unknown;
}

export interface CaseTypeContent extends FormContent {
  numbering: { prefix: string; digits: number };
  statuses: string[];
  initialStatus: string;
  roles: string[];
  /** User roles allowed to open cases of this type; any signed-in user when absent. */
  createRoles?: string[];
  /** Per user role, the rules by which its holders see cases of this type (see documents/case-access.ts). */
  visibility?: Record<string, VisibilityRule[]>;
  /**
   * Per user role, what its holders may do on a case they see, beyond reading it:
   * `createDocument:<form>`, `editDocument:<form>` (`*` for any form), `editCase:/<field>` (a
   * top-level part of the case data, `*` for all), `uploadFile`.
   * Without `permissions`, whoever sees a case may do all of these.
   */
  permissions?: Record<string, string[]>;
  /** The documents a case owes and by when (see deliverables/deliverable-config.ts); checked at publish. */
  deliverables?: Record<string, unknown>[];
  /** The columns, search fields and status groups of a list of these cases (see documents/case-listing.ts); checked at publish. */
  listing?: Record<string, unknown>;
  /** How screens name these cases (see definitions/case-display.ts); checked at publish. */
  display?: CaseDisplay;
}

export type VisibilityRule =
  | { all: true }
  | { createdByMe: true }
  | { holdsRole: string }
  | { caseField: string; equalsAttribute: string }
  | { caseField: string; equals: string | number | boolean }
  | { personWithRole: string; sameAttribute: string };

export interface ProcessContent {
  xml: string;
  [other: string]: unknown;
}

export interface LookupItem {
  code: string;
  label: string;
  retired?: boolean;
  [other: string]: unknown;
}

export interface LookupContent {
  title: string;
  items: LookupItem[];
  [other: string]: unknown;
}

/** A field of a form's data: a leaf or an object property of the schema. */
export interface FieldInfo {
  /** Pointer into the data, e.g. `/youth/dob`; `-` stands for "every item" of an array. */
  pointer: string;
  /** The field's title, or its property name when it has none. */
  label: string;
  required: boolean;
  /** The compared schema attributes the field has (type, format, enum, minimum, ...). */
  attributes: Record<string, unknown>;
}

export interface FieldChange {
  pointer: string;
  /** The label in the newer version. */
  label: string;
  /** Attribute → its value in each version; a side is left out (undefined) where the attribute is absent. */
  changes: Record<string, { from?: unknown; to?: unknown }>;
}

export interface FormDiff {
  kind: FormKind;
  key: string;
  fromVersion: number;
  toVersion: number;
  added: FieldInfo[];
  removed: FieldInfo[];
  changed: FieldChange[];
}
