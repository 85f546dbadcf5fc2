/**
 * Period reviews: a reviewer looks over one month of a form's submitted documents on the cases
 * they can see, grouped by the user who wrote each one, with per-category sums of a measure and
 * a grand total, and submits the month (once, for their scope, e.g. their organisation). The
 * submission keeps the totals as they were when submitted. Which form, fields, reviewers and
 * scope come from configuration (a rules file), so the engine names none of them.
 */
import { readFileSync } from 'node:fs';
import type { Clock } from '../clock.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, type FieldError } from '../errors.js';
import { getAt } from '../json-pointer.js';
import type { Principal } from '../auth/principal.js';
import type { UserDirectory } from '../auth/users.js';
import type { CaseService } from '../documents/case-service.js';
import type { DocumentService } from '../documents/document-service.js';
import type { Collection, Store } from '../store/types.js';

export interface PeriodReviewRule {
  key: string;
  title: string;
  /** The form whose submitted documents are reviewed. */
  form: string;
  /** JSON pointers into a document's data. */
  dateField: string;
  categoryField: string;
  measureField: string;
  /** How the measure reads: minutes shown as HH:MM, or a plain number. */
  measureUnit?: 'minutes' | 'number';
  /** Column titles of the case number, the category and the measure on the review screen. */
  caseNumberTitle?: string;
  categoryTitle?: string;
  measureTitle?: string;
  /** Further document fields listed per document (pointer -> column title). */
  columns?: Record<string, string>;
  /** Roles that review and submit. */
  reviewerRoles: string[];
  /** The reviewer's attribute a submission belongs to: one submission per month per value. */
  scopeAttribute: string;
}

export interface ReviewedDocument {
  documentId: string;
  caseId: string;
  caseNumber: string;
  date: string;
  category: string;
  measure: number;
  fields: Record<string, unknown>;
}

export interface AuthorGroup {
  userId: string;
  name: string;
  documents: ReviewedDocument[];
  totals: Record<string, number>;
  total: number;
}

export interface PeriodSubmission {
  _id: string;
  review: string;
  period: string;
  scope: string;
  totals: Record<string, number>;
  total: number;
  documentCount: number;
  submittedAt: Date;
  submittedBy: string;
  submittedByName: string;
}

export interface PeriodReviewView {
  review: Pick<PeriodReviewRule, 'key' | 'title' | 'measureUnit' | 'columns' | 'caseNumberTitle' | 'categoryTitle' | 'measureTitle'>;
  period: string;
  scope: string;
  authors: AuthorGroup[];
  totals: Record<string, number>;
  total: number;
  submission: PeriodSubmission | null;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const POINTER = /^(\/[^/]+)+$/;
const KEY = /^[a-z][a-z0-9-]{1,63}$/;

export class PeriodReviews {
  readonly submissions: Collection<PeriodSubmission>;

  constructor(
    store: Store,
    private readonly rules: readonly PeriodReviewRule[],
    private readonly deps: { cases: CaseService; documents: DocumentService; users: UserDirectory; clock: Clock },
  ) {
    this.submissions = store.collection<PeriodSubmission>('periodSubmissions');
  }

  /** Creates the index each review's month is read through (idempotent). */
  async init(): Promise<void> {
    for (const rule of this.rules) {
      const datePath = storePath(rule.dateField);
      if (datePath) await this.deps.documents.documents.createIndex({ key: { form: 1, [datePath]: 1 } });
    }
  }

  /** The reviews the caller may do. */
  available(principal: Principal): PeriodReviewRule[] {
    return this.rules.filter((r) => r.reviewerRoles.some((role) => principal.roles.includes(role)));
  }

  private ruleFor(principal: Principal, key: string): { rule: PeriodReviewRule; scope: string } {
    const rule = this.rules.find((r) => r.key === key);
    if (!rule) throw new NotFoundError(`There is no period review "${key}".`);
    if (!this.available(principal).includes(rule)) throw new ForbiddenError(`Your role does not review "${rule.title}".`);
    const scope = principal.attributes[rule.scopeAttribute];
    if (typeof scope !== 'string' || !scope) throw new ForbiddenError(`Your account has no ${rule.scopeAttribute}, which "${rule.title}" is kept by.`);
    return { rule, scope };
  }

  async view(principal: Principal, key: string, period: string): Promise<PeriodReviewView> {
    const { rule, scope } = this.ruleFor(principal, key);
    const [from, to] = monthRange(period);
    const visible = await this.deps.cases.visibilityFilter(principal);
    const cases = await this.deps.cases.cases.find(visible, { projection: { _id: 1, number: 1 } });
    const numbers = new Map(cases.map((c) => [c._id, c.number]));
    const datePath = storePath(rule.dateField);
    // The month's documents through the index on their date (init); the cases the caller sees are
    // tested here, not sent as a list of every visible case.
    const inMonth = datePath ? { [datePath]: { $gte: from, $lt: dayAfter(to) } } : {};
    const docs = await this.deps.documents.documents.find({ form: rule.form, stage: 'submitted', ...inMonth }, { sort: { createdAt: 1 } });
    const groups = new Map<string, AuthorGroup>();
    for (const doc of docs) {
      if (!numbers.has(doc.caseId)) continue;
      const date = getAt(doc.data, rule.dateField);
      if (typeof date !== 'string' || date.slice(0, 10) < from || date.slice(0, 10) > to) continue;
      const category = String(getAt(doc.data, rule.categoryField) ?? '');
      const measure = Number(getAt(doc.data, rule.measureField) ?? 0) || 0;
      let group = groups.get(doc.createdBy);
      if (!group) {
        const user = await this.deps.users.byId(doc.createdBy);
        group = { userId: doc.createdBy, name: user ? `${user.firstName} ${user.lastName}` : doc.createdBy, documents: [], totals: {}, total: 0 };
        groups.set(doc.createdBy, group);
      }
      const fields = Object.fromEntries(Object.keys(rule.columns ?? {}).map((p) => [p, getAt(doc.data, p) ?? null]));
      group.documents.push({ documentId: doc._id, caseId: doc.caseId, caseNumber: numbers.get(doc.caseId) ?? '', date: date.slice(0, 10), category, measure, fields });
      group.totals[category] = (group.totals[category] ?? 0) + measure;
      group.total += measure;
    }
    const authors = [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const a of authors) a.documents.sort((x, y) => x.date.localeCompare(y.date) || x.category.localeCompare(y.category));
    const totals: Record<string, number> = {};
    for (const a of authors) for (const [c, v] of Object.entries(a.totals)) totals[c] = (totals[c] ?? 0) + v;
    const submission = await this.submissions.findOne({ _id: submissionId(rule.key, period, scope) });
    const { title, measureUnit, columns, caseNumberTitle, categoryTitle, measureTitle } = rule;
    return {
      review: { key: rule.key, title, ...definedOnly({ measureUnit, columns, caseNumberTitle, categoryTitle, measureTitle }) },
      period, scope, authors, totals, total: authors.reduce((s, a) => s + a.total, 0), submission,
    };
  }

  /** Submits the month for the reviewer's scope, keeping its totals; a month is submitted once. */
  async submit(principal: Principal, key: string, period: string): Promise<PeriodSubmission> {
    const view = await this.view(principal, key, period);
    if (view.submission) {
      throw new ConflictError(`${view.review.title} for ${period} was already submitted on ${view.submission.submittedAt.toISOString().slice(0, 10)} by ${view.submission.submittedByName}.`);
    }
    const now = this.deps.clock.now();
    if (monthRange(period)[0] > now.toISOString().slice(0, 10)) {
      throw new BadRequestError('A month that has not begun cannot be submitted.', [{ path: '/period', message: 'is in the future' }]);
    }
    const record: PeriodSubmission = {
      _id: submissionId(key, period, view.scope), review: key, period, scope: view.scope, totals: view.totals, total: view.total,
      documentCount: view.authors.reduce((s, a) => s + a.documents.length, 0), submittedAt: now, submittedBy: principal.userId, submittedByName: principal.name,
    };
    try {
      await this.submissions.insertOne(record);
    } catch {
      throw new ConflictError(`${view.review.title} for ${period} was just submitted by someone else.`);
    }
    return record;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function submissionId(key: string, period: string, scope: string): string {
  return `${key}:${period}:${scope}`;
}

/** The first and last day ('YYYY-MM-DD') of a 'YYYY-MM' month; 400 naming /period otherwise. */
/** A JSON pointer into the document data as a store path (`/a/b` -> `data.a.b`), or null when a token cannot be one. */
function storePath(pointer: string): string | null {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  return tokens.every((t) => t !== '' && !t.includes('.') && !t.startsWith('$')) ? ['data', ...tokens].join('.') : null;
}

/** The day after a 'YYYY-MM-DD' day: dates and date-times of the month sort below it. */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function monthRange(period: string): [string, string] {
  const m = PERIOD.exec(period);
  if (!m) throw new BadRequestError('The period must be a month written YYYY-MM.', [{ path: '/period', message: 'must be a month as YYYY-MM' }]);
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return [`${period}-01`, `${period}-${String(last).padStart(2, '0')}`];
}

export function checkPeriodReviewRules(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [{ path: '', message: 'must be a list of reviews' }];
  const errors: FieldError[] = [];
  const known = ['key', 'title', 'caseNumberTitle', 'categoryTitle', 'measureTitle', 'form', 'dateField', 'categoryField', 'measureField', 'measureUnit', 'columns', 'reviewerRoles', 'scopeAttribute'];
  value.forEach((rule: any, i) => {
    const at = `/${i}`;
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return errors.push({ path: at, message: 'must be an object' });
    for (const k of Object.keys(rule)) if (!known.includes(k)) errors.push({ path: `${at}/${k}`, message: 'is not a known field' });
    for (const k of ['key', 'form']) if (typeof rule[k] !== 'string' || !KEY.test(rule[k])) errors.push({ path: `${at}/${k}`, message: 'must be a key (lower case, digits, dashes)' });
    if (typeof rule.title !== 'string' || !rule.title.trim()) errors.push({ path: `${at}/title`, message: 'must be a non-empty text' });
    for (const k of ['caseNumberTitle', 'categoryTitle', 'measureTitle']) if (rule[k] !== undefined && (typeof rule[k] !== 'string' || !rule[k].trim())) errors.push({ path: `${at}/${k}`, message: 'must be a non-empty text' });
    for (const k of ['dateField', 'categoryField', 'measureField']) if (typeof rule[k] !== 'string' || !POINTER.test(rule[k])) errors.push({ path: `${at}/${k}`, message: 'must be a JSON pointer into the document data' });
    if (rule.measureUnit !== undefined && !['minutes', 'number'].includes(rule.measureUnit)) errors.push({ path: `${at}/measureUnit`, message: 'must be "minutes" or "number"' });
    if (rule.columns !== undefined && (rule.columns === null || typeof rule.columns !== 'object' || Array.isArray(rule.columns)
      || !Object.entries(rule.columns).every(([p, t]) => POINTER.test(p) && typeof t === 'string'))) errors.push({ path: `${at}/columns`, message: 'must map JSON pointers to column titles' });
    if (!Array.isArray(rule.reviewerRoles) || rule.reviewerRoles.length === 0 || !rule.reviewerRoles.every((r: unknown) => typeof r === 'string' && r.trim())) {
      errors.push({ path: `${at}/reviewerRoles`, message: 'must be a non-empty list of role names' });
    }
    if (typeof rule.scopeAttribute !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(rule.scopeAttribute)) errors.push({ path: `${at}/scopeAttribute`, message: 'must be an attribute name' });
  });
  return errors;
}

/** Reads the rules file; a missing file means no period reviews. */
export function readPeriodReviewRules(file: string): PeriodReviewRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`The period reviews file ${file} cannot be read: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new Error(`The period reviews file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const errors = checkPeriodReviewRules(value);
  if (errors.length > 0) throw new Error(`The period reviews file ${file} has errors:\n${errors.map((e) => `  ${e.path || '/'}: ${e.message}`).join('\n')}`);
  return value as PeriodReviewRule[];
}
