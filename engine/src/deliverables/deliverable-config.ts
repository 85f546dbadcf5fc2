/**
 * The `deliverables` block of a case type: the documents a case owes, each with a window of
 * days counted from a date on the case record (its anchor).
 *
 * ```json
 * "deliverables": [
 *   { "key": "intake", "title": "Intake", "form": "intake", "anchor": "/data/openedOn",
 *     "due": "P14D", "alertBefore": "P3D", "when": "=case.data.kind = \"urgent\"" },
 *   { "key": "plan-2", "title": "Second plan", "form": "plan", "anchor": "/data/openedOn",
 *     "opens": "P120D", "due": "P134D", "after": "plan-1", "match": "=data.phase = \"2\"" },
 *   { "key": "closing", "title": "Closing report", "form": "closing", "anchor": "/data/closedOn",
 *     "due": "=add business days(anchor, 7)" },
 *   { "key": "renewal", "title": "Renewal", "form": "renewal", "anchor": "/data/openedOn",
 *     "opens": "P330D", "due": "P345D", "optional": true }
 * ]
 * ```
 * - `anchor`: a JSON pointer into the case record (`/data/...` of the schema, or `/createdAt`)
 *   holding a date; until it is set the deliverable has no dates.
 * - `opens`, `due`: an ISO duration of whole days, weeks, months or years after the anchor
 *   (`P14D`), or FEEL giving a date, over `anchor` (the anchor's date, 'YYYY-MM-DD') and `case`.
 *   `due` is the last day on time; `opens` (default: the anchor's date) the first day of the window.
 * - `alertBefore`: a duration; the task alert starts that long before the due day (never before
 *   the window opens).
 * - `when`: FEEL over `case`, `anchor`, `opens` and `due` (dates as 'YYYY-MM-DD'); when it is
 *   not true the deliverable is not required.
 * - `after`: the key of a deliverable listed earlier that must be completed before this one opens.
 * - `match`: FEEL over a submitted document's `data` choosing which documents of the form count
 *   (e.g. one form for several phases). Each document completes one deliverable at most, the
 *   earliest-submitted first, in the order deliverables are listed.
 * - `optional`: submitted only when needed; once its window closes unsubmitted it is not required
 *   (it never becomes overdue).
 * - `remind`, `overdue`: who the daily reminder job (deliverable-reminders.ts) tells, with which
 *   template, while the deliverable is in its alert window (`remind`) and once it is past due
 *   (`overdue`): `{ "to": "case:<role>", "cc": ["case:<role>", ...], "template": "<key>" }`,
 *   `to`/`cc` being recipient rules (notifications/recipients.ts). Without them nobody is told.
 */
import type { FieldError } from '../errors.js';
import { KEY_PATTERN, schemaAtDataPointer } from '../definitions/index.js';
import { isPlainObject, parsePointer, pointer } from '../json-pointer.js';
import { checkFeelSyntax, isFeelExpression, parseIsoDuration } from '../runtime/time/index.js';
import { parseRules } from '../notifications/recipients.js';

/** Who a deliverable's reminder or overdue alert goes to, and the template it is written with. */
export interface DeliverableNotice {
  to: string | string[];
  cc?: string | string[];
  template: string;
  /** Case statuses in which nobody is reminded (e.g. a closed case's open deliverables). */
  exceptStatuses?: string[];
}

export interface DeliverableRule {
  key: string;
  title: string;
  form: string;
  anchor: string;
  opens?: string;
  due: string;
  alertBefore?: string;
  when?: string;
  after?: string;
  match?: string;
  optional?: boolean;
  remind?: DeliverableNotice;
  overdue?: DeliverableNotice;
}

const SETTINGS = ['key', 'title', 'form', 'anchor', 'opens', 'due', 'alertBefore', 'when', 'after', 'match', 'optional', 'remind', 'overdue'];
const NOTICE_SETTINGS = ['to', 'cc', 'template', 'exceptStatuses'];
/** Fields of every case record an anchor may name besides its data. */
const RECORD_DATES = ['/createdAt', '/updatedAt'];

/** The problem with a whole-days duration, or null (P14D, P2W, P1M, P1Y; no hours). */
export function dayDurationError(value: string): string | null {
  const parsed = parseIsoDuration(value);
  if (typeof parsed === 'string') return parsed;
  if (parsed.timeMs !== 0) return 'deadlines are whole days: use days, weeks, months or years (P14D), not hours';
  return null;
}

function offsetProblem(value: unknown, what: string): string | null {
  if (typeof value !== 'string' || value.trim() === '') return `${what} must be an ISO duration such as P14D or FEEL such as "=add business days(anchor, 7)"`;
  if (isFeelExpression(value)) {
    const problem = checkFeelSyntax(value);
    return problem && `is not valid FEEL: ${problem}`;
  }
  return dayDurationError(value);
}

/** Checks a case type's `deliverables` block; each problem names its field by JSON pointer. */
export function validateDeliverables(content: unknown): FieldError[] {
  if (!isPlainObject(content) || content.deliverables === undefined) return [];
  const problems: FieldError[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const list = content.deliverables;
  if (!Array.isArray(list)) {
    add('/deliverables', 'must be a list of deliverables: { "key", "title", "form", "anchor", "due", ... }');
    return problems;
  }
  const seen = new Map<string, number>();
  list.forEach((rule: unknown, i: number) => {
    const at = pointer('/deliverables', i);
    if (!isPlainObject(rule)) {
      add(at, 'each deliverable must be an object with key, title, form, anchor and due');
      return;
    }
    for (const name of Object.keys(rule)) {
      if (!SETTINGS.includes(name)) add(pointer(at, name), `is not a setting of a deliverable (allowed: ${SETTINGS.join(', ')})`);
    }
    if (typeof rule.key !== 'string' || !KEY_PATTERN.test(rule.key)) {
      add(pointer(at, 'key'), 'the key is required: 2-64 lower-case letters, digits or -, starting with a letter');
    } else if (seen.has(rule.key)) {
      add(pointer(at, 'key'), `the key "${rule.key}" is used twice (also at position ${seen.get(rule.key)! + 1})`);
    } else {
      seen.set(rule.key, i);
    }
    if (typeof rule.title !== 'string' || rule.title.trim() === '' || rule.title.length > 200) add(pointer(at, 'title'), 'the title is required (up to 200 characters)');
    if (typeof rule.form !== 'string' || !KEY_PATTERN.test(rule.form)) add(pointer(at, 'form'), 'must be the key of the document form that fulfils it');
    checkAnchor(rule.anchor, content.schema, pointer(at, 'anchor'), add);
    if (rule.due === undefined) add(pointer(at, 'due'), 'the due day is required: an ISO duration after the anchor such as P14D, or FEEL giving a date');
    else {
      const problem = offsetProblem(rule.due, 'the due day');
      if (problem) add(pointer(at, 'due'), problem);
    }
    if (rule.opens !== undefined) {
      const problem = offsetProblem(rule.opens, 'the opening day');
      if (problem) add(pointer(at, 'opens'), problem);
    }
    if (rule.alertBefore !== undefined) {
      const problem = typeof rule.alertBefore === 'string' && !isFeelExpression(rule.alertBefore)
        ? dayDurationError(rule.alertBefore)
        : 'must be an ISO duration such as P3D';
      if (problem) add(pointer(at, 'alertBefore'), problem);
    }
    for (const name of ['when', 'match'] as const) {
      if (rule[name] === undefined) continue;
      const value = rule[name];
      if (typeof value !== 'string' || !isFeelExpression(value)) add(pointer(at, name), 'must be a FEEL condition starting with "="');
      else {
        const problem = checkFeelSyntax(value);
        if (problem) add(pointer(at, name), `is not valid FEEL: ${problem}`);
      }
    }
    if (rule.after !== undefined) {
      if (typeof rule.after !== 'string' || !seen.has(rule.after) || rule.after === rule.key) {
        add(pointer(at, 'after'), `must be the key of a deliverable listed before this one${typeof rule.after === 'string' ? ` ("${rule.after}" is not)` : ''}`);
      }
    }
    if (rule.optional !== undefined && typeof rule.optional !== 'boolean') add(pointer(at, 'optional'), 'must be true or false');
    for (const name of ['remind', 'overdue'] as const) {
      if (rule[name] !== undefined) checkNotice(rule[name], pointer(at, name), add, Array.isArray(content.statuses) ? content.statuses : []);
    }
  });
  return problems;
}

function checkAnchor(anchor: unknown, schema: unknown, at: string, add: (path: string, message: string) => void): void {
  const tokens = typeof anchor === 'string' ? parsePointer(anchor) : undefined;
  if (typeof anchor !== 'string' || !tokens || tokens.length === 0) {
    add(at, 'the anchor is required: a JSON pointer to a date on the case record, such as /data/openedOn');
    return;
  }
  if (RECORD_DATES.includes(anchor)) return;
  if (tokens[0] !== 'data' || tokens.length < 2) {
    add(at, `must point into the case data (/data/...) or be one of ${RECORD_DATES.join(', ')}`);
    return;
  }
  const field = schemaAtDataPointer(schema, anchor.slice('/data'.length));
  if (!isPlainObject(field)) add(at, `"${anchor}" is not a field of the case type's schema`);
  else if (field.type !== 'string' || (field.format !== 'date' && field.format !== 'date-time')) {
    add(at, `"${anchor}" must be a date field (type string, format date or date-time)`);
  }
}

/** Checks a `remind` / `overdue` block: recipient rules in `to` (required) and `cc`, a template key. */
function checkNotice(notice: unknown, at: string, add: (path: string, message: string) => void, statuses: unknown[]): void {
  if (!isPlainObject(notice)) {
    add(at, 'must be an object: { "to": "case:<role>", "cc": "case:<role>", "template": "<template key>" }');
    return;
  }
  for (const name of Object.keys(notice)) {
    if (!NOTICE_SETTINGS.includes(name)) add(pointer(at, name), `is not a setting of a notice (allowed: ${NOTICE_SETTINGS.join(', ')})`);
  }
  const to = parseRules(notice.to, pointer(at, 'to'));
  if (to.errors.length === 0 && to.rules.length === 0) add(pointer(at, 'to'), 'is required: recipient rules such as "case:<role>" (a list or one comma-separated string)');
  for (const problem of [...to.errors, ...parseRules(notice.cc, pointer(at, 'cc')).errors]) add(problem.path, problem.message);
  if (typeof notice.template !== 'string' || !KEY_PATTERN.test(notice.template)) add(pointer(at, 'template'), 'must be the key of a notification template');
  if (notice.exceptStatuses !== undefined) {
    const list = notice.exceptStatuses;
    if (!Array.isArray(list)) add(pointer(at, 'exceptStatuses'), 'must be a list of the case type\'s statuses');
    else list.forEach((status: unknown, i: number) => {
      if (!statuses.includes(status)) add(pointer(pointer(at, 'exceptStatuses'), i), `${JSON.stringify(status)} is not a status of the case type (${statuses.join(', ')})`);
    });
  }
}

/** Problems only the engine can see in the notices' recipients (e.g. an inbox not configured), per `check`. */
export function deliverableNoticeProblems(content: unknown, check: (value: unknown, path: string) => FieldError[]): FieldError[] {
  if (!isPlainObject(content) || !Array.isArray(content.deliverables)) return [];
  return content.deliverables.flatMap((rule: unknown, i: number) => {
    if (!isPlainObject(rule)) return [];
    return (['remind', 'overdue'] as const).flatMap((name) => {
      const notice = rule[name];
      if (!isPlainObject(notice)) return [];
      const at = pointer(pointer('/deliverables', i), name);
      return [...check(notice.to, pointer(at, 'to')), ...check(notice.cc, pointer(at, 'cc'))];
    });
  });
}
