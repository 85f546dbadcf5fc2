/**
 * Running tallies of a period review: per month, scope value and author, the number and the sum
 * of the measure of the submitted documents in each category. A month of a large store holds
 * tens of thousands of documents, more than a request can read in well under a second, so the
 * review reads these records instead and the documents only one author's month at a time.
 *
 * Tallies are kept in step with the documents without hooks into every write path: each document
 * write stamps `updatedAt`, so a refresh reads the documents of the form changed since the last
 * refresh (through an index on `form, updatedAt`) and recounts the whole history of each of their
 * authors (a document may have moved to another month or scope after a reopen). The first refresh
 * of a store counts every author once. Recounting is idempotent, so two nodes refreshing at once
 * write the same records.
 */
import type { Clock } from '../clock.js';
import { getAt } from '../json-pointer.js';
import type { DocumentRecord } from '../documents/document-service.js';
import type { Collection, Store } from '../store/types.js';
import type { PeriodReviewRule } from './period-reviews.js';

export interface PeriodTally {
  _id: string;
  review: string;
  period: string;
  scope: string;
  author: string;
  /** Documents and measure sum per category (a list: category values need not be field names). */
  categories: { category: string; count: number; total: number }[];
  count: number;
  total: number;
}

interface RefreshMark {
  _id: string;
  /** Documents changed from here on are recounted at the next refresh. */
  since: Date;
  /** The rule's fields the tallies were counted with: a changed rule counts everything anew. */
  fields: string;
}

/** Changes written this long before a refresh began are read again by the next one (a write stamped before it was committed). */
const OVERLAP_MS = 60_000;

/** A JSON pointer into the document data as a store path (`/a/b` -> `data.a.b`), or null when a token cannot be one. */
export function storePath(pointer: string): string | null {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  return tokens.every((t) => t !== '' && !t.includes('.') && !t.startsWith('$')) ? ['data', ...tokens].join('.') : null;
}

/** The store path of a pointer the rules check accepted; one it cannot name is refused at start. */
export function requiredStorePath(pointer: string): string {
  const found = storePath(pointer);
  if (!found) throw new Error(`The period review field ${pointer} cannot be indexed: a token is empty, holds a dot or starts with $.`);
  return found;
}

export class PeriodTallies {
  readonly tallies: Collection<PeriodTally>;
  private readonly marks: Collection<RefreshMark>;

  constructor(
    store: Store,
    private readonly documents: Collection<DocumentRecord>,
    private readonly clock: Clock,
  ) {
    this.tallies = store.collection<PeriodTally>('periodTallies');
    this.marks = store.collection<RefreshMark>('periodTallyMarks');
  }

  /** The indexes the tallies and one author's month are read through (idempotent). */
  async init(rules: readonly PeriodReviewRule[]): Promise<void> {
    await this.tallies.createIndex({ key: { review: 1, period: 1, scope: 1, author: 1 } });
    await this.tallies.createIndex({ key: { review: 1, author: 1 } });
    if (rules.length > 0) await this.documents.createIndex({ key: { form: 1, updatedAt: 1 } });
    for (const rule of rules) {
      await this.documents.createIndex({ key: { form: 1, stage: 1, createdBy: 1, [requiredStorePath(rule.dateField)]: 1 } });
    }
  }

  /** Brings the rule's tallies in line with its documents: those changed since the last refresh, or all of them the first time. */
  async refresh(rule: PeriodReviewRule): Promise<void> {
    const started = this.clock.now();
    const fields = JSON.stringify([rule.form, rule.dateField, rule.categoryField, rule.measureField, rule.scopeField]);
    const mark = await this.marks.findOne({ _id: rule.key });
    const fresh = !mark || mark.fields !== fields;
    // Documents stamped later than the refresh's start are left to the next one (their writer may still be committing).
    const changed = fresh
      ? { form: rule.form }
      : { form: rule.form, updatedAt: { $gte: mark.since, $lte: started } };
    const authors = new Set((await this.documents.find(changed, { projection: { createdBy: 1 } })).map((d) => d.createdBy));
    if (fresh) await this.tallies.deleteMany({ review: rule.key });
    for (const author of authors) await this.recount(rule, author);
    const since = new Date(started.getTime() - OVERLAP_MS);
    await this.marks.updateOne({ _id: rule.key }, { $set: { since, fields } }, { upsert: true });
  }

  /** Forgets what was counted, so the next refresh counts every document (after writes that bypass the services and their `updatedAt`). */
  async forget(): Promise<void> {
    await this.marks.deleteMany({});
  }

  /** Counts every submitted document of one author again, month by month and scope by scope. */
  private async recount(rule: PeriodReviewRule, author: string): Promise<void> {
    const docs = await this.documents.find({ form: rule.form, stage: 'submitted', createdBy: author }, { projection: { data: 1 } });
    const counted = new Map<string, PeriodTally>();
    for (const doc of docs) {
      const date = getAt(doc.data, rule.dateField);
      const scope = getAt(doc.data, rule.scopeField);
      if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date) || typeof scope !== 'string' || !scope) continue;
      const period = date.slice(0, 7);
      const _id = tallyId(rule.key, period, scope, author);
      let tally = counted.get(_id);
      if (!tally) {
        tally = { _id, review: rule.key, period, scope, author, categories: [], count: 0, total: 0 };
        counted.set(_id, tally);
      }
      const category = categoryOf(doc, rule);
      const measure = measureOf(doc, rule);
      let entry = tally.categories.find((c) => c.category === category);
      if (!entry) tally.categories.push(entry = { category, count: 0, total: 0 });
      entry.count += 1;
      entry.total += measure;
      tally.count += 1;
      tally.total += measure;
    }
    for (const tally of counted.values()) {
      tally.categories.sort((a, b) => a.category.localeCompare(b.category));
      const { _id, ...values } = tally;
      await this.tallies.updateOne({ _id }, { $set: values }, { upsert: true });
    }
    await this.tallies.deleteMany({ review: rule.key, author, _id: { $nin: [...counted.keys()] } });
  }
}

export function tallyId(review: string, period: string, scope: string, author: string): string {
  return JSON.stringify([review, period, scope, author]);
}

export function categoryOf(doc: Pick<DocumentRecord, 'data'>, rule: PeriodReviewRule): string {
  return String(getAt(doc.data, rule.categoryField) ?? '');
}

export function measureOf(doc: Pick<DocumentRecord, 'data'>, rule: PeriodReviewRule): number {
  return Number(getAt(doc.data, rule.measureField) ?? 0) || 0;
}
