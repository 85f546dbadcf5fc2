/**
 * Period reviews: a reviewer looks over one month of a form's submitted documents recorded under
 * their scope (e.g. their organisation), grouped by the user who wrote each one, with per-category
 * counts and sums of a measure and a grand total, and submits the month (once, for their scope).
 * The submission keeps the totals as they were when submitted. The month's summary comes from
 * running tallies (period-tallies.ts) kept by each submit and reopen; the documents are read one author's month at a time and
 * handed out a page at a time. Which form, fields, reviewers and scope come from configuration
 * (a rules file), so the engine names none of them.
 */
import { readFileSync } from 'node:fs';
import type { Clock } from '../clock.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, type FieldError } from '../errors.js';
import { getAt } from '../json-pointer.js';
import type { Principal } from '../auth/principal.js';
import { displayName, type UserDirectory } from '../auth/users.js';
import type { CaseService } from '../documents/case-service.js';
import type { DocumentRecord, DocumentService } from '../documents/document-service.js';
import type { Collection, Store } from '../store/types.js';
import type { AuthorDocuments, AuthorSummary, PeriodReviewRule, PeriodReviewView, PeriodSubmission, ReviewedDocument } from './period-review-api.js';
import { categoryOf, measureOf, PeriodTallies, requiredStorePath, storePath, tallyId } from './period-tallies.js';

export type { PeriodReviewRule, PeriodReviewView, PeriodSubmission } from './period-review-api.js';

export interface Page {
  skip?: number;
  limit?: number;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const POINTER = /^(\/[^/]+)+$/;
const KEY = /^[a-z][a-z0-9-]{1,63}$/;
const PAGE_SIZE = 25;

export class PeriodReviews {
  readonly submissions: Collection<PeriodSubmission>;
  private readonly tallies: PeriodTallies;

  constructor(
    store: Store,
    private readonly rules: readonly PeriodReviewRule[],
    private readonly deps: { cases: CaseService; documents: DocumentService; users: UserDirectory; clock: Clock },
  ) {
    this.submissions = store.collection<PeriodSubmission>('periodSubmissions');
    this.tallies = new PeriodTallies(store, deps.documents.documents);
    // An author's tallies follow each submit and reopen of their documents of a reviewed form.
    const recount = async (doc: DocumentRecord) => {
      for (const rule of this.rules) if (rule.form === doc.form) await this.tallies.recount(rule, doc.createdBy);
    };
    deps.documents.onSubmitted('period-tallies', recount);
    deps.documents.onReopened('period-tallies', recount);
  }

  /** Creates the indexes the reviews are read through and counts tallies a store does not have yet (idempotent). */
  async init(): Promise<void> {
    await this.tallies.init(this.rules);
  }

  /** Counts every review's tallies anew (the data generator writes documents straight to the store). */
  async recount(): Promise<void> {
    for (const rule of this.rules) await this.tallies.countAll(rule);
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

  /** Every author's summary of the month in the caller's scope, by name, from the tallies brought up to date. */
  private async summaries(rule: PeriodReviewRule, period: string, scope: string): Promise<AuthorSummary[]> {
    const tallies = await this.tallies.tallies.find({ review: rule.key, period, scope });
    // One read per author: an $in of thousands of ids is slower on the embedded store.
    const users = await Promise.all(tallies.map((t) => this.deps.users.users.findOne({ _id: t.author }, { projection: { firstName: 1, lastName: 1 } })));
    const names = new Map(users.flatMap((u) => (u ? [[u._id, displayName(u)] as const] : [])));
    const summaries = tallies.map((t): AuthorSummary => ({
      userId: t.author, name: names.get(t.author) ?? t.author,
      counts: Object.fromEntries(t.categories.map((c) => [c.category, c.count])),
      totals: Object.fromEntries(t.categories.map((c) => [c.category, c.total])),
      count: t.count, total: t.total,
    }));
    return summaries.sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  }

  /** The month's totals in the caller's scope and one page of its authors' summaries. */
  async view(principal: Principal, key: string, period: string, page: Page = {}): Promise<PeriodReviewView> {
    const { rule, scope } = this.ruleFor(principal, key);
    monthRange(period);
    const authors = await this.summaries(rule, period, scope);
    const counts: Record<string, number> = {};
    const totals: Record<string, number> = {};
    for (const a of authors) {
      for (const [c, n] of Object.entries(a.counts)) counts[c] = (counts[c] ?? 0) + n;
      for (const [c, v] of Object.entries(a.totals)) totals[c] = (totals[c] ?? 0) + v;
    }
    const submission = await this.submissions.findOne({ _id: submissionId(rule.key, period, scope) });
    const { title, measureUnit, columns, authorTitle, countTitle, caseNumberTitle, categoryTitle, measureTitle } = rule;
    const skip = page.skip ?? 0;
    return {
      review: { key: rule.key, title, ...definedOnly({ measureUnit, columns, authorTitle, countTitle, caseNumberTitle, categoryTitle, measureTitle }) },
      period, scope,
      authors: authors.slice(skip, skip + (page.limit ?? PAGE_SIZE)),
      authorCount: authors.length,
      documentCount: authors.reduce((s, a) => s + a.count, 0),
      counts, totals, total: authors.reduce((s, a) => s + a.total, 0), submission,
    };
  }

  /** One page of an author's documents of the month in the caller's scope, by category, then date. */
  async authorDocuments(principal: Principal, key: string, period: string, query: Page & { author: string }): Promise<AuthorDocuments> {
    const { rule, scope } = this.ruleFor(principal, key);
    const [from, to] = monthRange(period);
    const user = await this.deps.users.byId(query.author);
    if (!user) throw new NotFoundError(`There is no user ${query.author}.`, [{ path: '/author', message: 'is no known user' }]);
    const tally = await this.tallies.tallies.findOne({ _id: tallyId(rule.key, period, scope, query.author) });
    const author: AuthorSummary = {
      userId: user._id, name: displayName(user),
      counts: Object.fromEntries((tally?.categories ?? []).map((c) => [c.category, c.count])),
      totals: Object.fromEntries((tally?.categories ?? []).map((c) => [c.category, c.total])),
      count: tally?.count ?? 0, total: tally?.total ?? 0,
    };
    const datePath = requiredStorePath(rule.dateField);
    // One author's month, through the index on form, stage, author and date (PeriodTallies.init).
    const docs = (await this.deps.documents.documents.find({
      form: rule.form, stage: 'submitted', createdBy: query.author, [datePath]: { $gte: from, $lt: dayAfter(to) },
    })).filter((doc) => getAt(doc.data, rule.scopeField) === scope);
    const rows = docs.map((doc) => ({ doc, date: String(getAt(doc.data, rule.dateField)).slice(0, 10), category: categoryOf(doc, rule) }))
      .sort((x, y) => x.category.localeCompare(y.category) || x.date.localeCompare(y.date) || x.doc._id.localeCompare(y.doc._id));
    const skip = query.skip ?? 0;
    const shown = rows.slice(skip, skip + (query.limit ?? PAGE_SIZE));
    const cases = await this.deps.cases.cases.find({ _id: { $in: [...new Set(shown.map((r) => r.doc.caseId))] } }, { projection: { number: 1 } });
    const numbers = new Map(cases.map((c) => [c._id, c.number]));
    const items = shown.map(({ doc, date, category }): ReviewedDocument => ({
      documentId: doc._id, caseId: doc.caseId, caseNumber: numbers.get(doc.caseId) ?? '', date, category, measure: measureOf(doc, rule),
      fields: Object.fromEntries(Object.keys(rule.columns ?? {}).map((p) => [p, getAt(doc.data, p) ?? null])),
    }));
    return { author, total: rows.length, items };
  }

  /** Submits the month for the reviewer's scope, keeping its totals; a month is submitted once. */
  async submit(principal: Principal, key: string, period: string): Promise<PeriodSubmission> {
    const view = await this.view(principal, key, period, { limit: 0 });
    if (view.submission) {
      throw new ConflictError(`${view.review.title} for ${period} was already submitted on ${view.submission.submittedAt.toISOString().slice(0, 10)} by ${view.submission.submittedByName}.`);
    }
    const now = this.deps.clock.now();
    if (monthRange(period)[0] > now.toISOString().slice(0, 10)) {
      throw new BadRequestError('A month that has not begun cannot be submitted.', [{ path: '/period', message: 'is in the future' }]);
    }
    const record: PeriodSubmission = {
      _id: submissionId(key, period, view.scope), review: key, period, scope: view.scope, totals: view.totals, total: view.total,
      documentCount: view.documentCount, submittedAt: now, submittedBy: principal.userId, submittedByName: principal.name,
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

/** The day after a 'YYYY-MM-DD' day: dates and date-times of the month sort below it. */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The first and last day ('YYYY-MM-DD') of a 'YYYY-MM' month; 400 naming /period otherwise. */
export function monthRange(period: string): [string, string] {
  const m = PERIOD.exec(period);
  if (!m) throw new BadRequestError('The period must be a month written YYYY-MM.', [{ path: '/period', message: 'must be a month as YYYY-MM' }]);
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return [`${period}-01`, `${period}-${String(last).padStart(2, '0')}`];
}

export function checkPeriodReviewRules(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [{ path: '', message: 'must be a list of reviews' }];
  const errors: FieldError[] = [];
  const known = ['key', 'title', 'authorTitle', 'countTitle', 'caseNumberTitle', 'categoryTitle', 'measureTitle', 'form', 'dateField', 'scopeField', 'categoryField', 'measureField', 'measureUnit', 'columns', 'reviewerRoles', 'scopeAttribute'];
  value.forEach((rule: any, i) => {
    const at = `/${i}`;
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return errors.push({ path: at, message: 'must be an object' });
    for (const k of Object.keys(rule)) if (!known.includes(k)) errors.push({ path: `${at}/${k}`, message: 'is not a known field' });
    for (const k of ['key', 'form']) if (typeof rule[k] !== 'string' || !KEY.test(rule[k])) errors.push({ path: `${at}/${k}`, message: 'must be a key (lower case, digits, dashes)' });
    if (typeof rule.title !== 'string' || !rule.title.trim()) errors.push({ path: `${at}/title`, message: 'must be a non-empty text' });
    for (const k of ['authorTitle', 'countTitle', 'caseNumberTitle', 'categoryTitle', 'measureTitle']) if (rule[k] !== undefined && (typeof rule[k] !== 'string' || !rule[k].trim())) errors.push({ path: `${at}/${k}`, message: 'must be a non-empty text' });
    for (const k of ['dateField', 'scopeField', 'categoryField', 'measureField']) {
      if (typeof rule[k] !== 'string' || !POINTER.test(rule[k])) errors.push({ path: `${at}/${k}`, message: 'must be a JSON pointer into the document data' });
      else if (['dateField', 'scopeField'].includes(k) && !storePath(rule[k])) errors.push({ path: `${at}/${k}`, message: 'must name fields without dots or a leading $ (it is indexed)' });
    }
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
