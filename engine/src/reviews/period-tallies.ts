/**
 * Running tallies of a period review: per month, scope value and author, the number and the sum
 * of the measure of the submitted documents in each category. A month of a large store holds
 * tens of thousands of documents, more than a request can read in well under a second, so the
 * review reads these records instead and the documents only one author's month at a time.
 *
 * When a document of the review's form is submitted or reopened, its author's tallies are
 * recounted from their submitted documents (all of them: a reopened document may come back with
 * another date or scope), which is idempotent, so two nodes recounting at once write the same
 * records. A store without tallies for a rule's fields (new, upgraded, or written straight to the
 * store by the data generator) is counted in full once, author by author, at start.
 */
import { getAt } from '../json-pointer.js';
import { KeyedQueue } from '../keyed-queue.js';
import type { DocumentRecord } from '../documents/document-service.js';
import type { BatchWrite, Collection, Store } from '../store/types.js';
import type { PeriodReviewRule } from './period-review-api.js';

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

/** That a rule's tallies were counted in full, with these fields. */
interface CountedMark {
  _id: string;
  fields: string;
}

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

const fieldsOf = (rule: PeriodReviewRule) => JSON.stringify([rule.form, rule.dateField, rule.categoryField, rule.measureField, rule.scopeField]);

export class PeriodTallies {
  readonly tallies: Collection<PeriodTally>;
  private readonly marks: Collection<CountedMark>;
  private readonly recounts = new KeyedQueue();

  constructor(
    private readonly store: Store,
    private readonly documents: Collection<DocumentRecord>,
  ) {
    this.tallies = store.collection<PeriodTally>('periodTallies');
    this.marks = store.collection<CountedMark>('periodTallyMarks');
  }

  /** The indexes the tallies and one author's month are read through, and a full count where the store lacks one (idempotent). */
  async init(rules: readonly PeriodReviewRule[]): Promise<void> {
    await this.tallies.createIndex({ key: { review: 1, period: 1, scope: 1, author: 1 } });
    await this.tallies.createIndex({ key: { review: 1, author: 1 } });
    for (const rule of rules) {
      await this.documents.createIndex({ key: { form: 1, stage: 1, createdBy: 1, [requiredStorePath(rule.dateField)]: 1 } });
      const mark = await this.marks.findOne({ _id: rule.key });
      if (mark?.fields !== fieldsOf(rule)) await this.countAll(rule);
    }
  }

  /** Counts every author of the rule's form anew. */
  async countAll(rule: PeriodReviewRule): Promise<void> {
    await this.tallies.deleteMany({ review: rule.key });
    // The authors from the keys of the index on form, stage, author and date.
    const authors = await this.documents.aggregate<{ _id: string }>([{ $match: { form: rule.form, stage: 'submitted' } }, { $group: { _id: '$createdBy' } }]);
    for (const { _id } of authors) await this.recount(rule, _id);
    await this.marks.updateOne({ _id: rule.key }, { $set: { fields: fieldsOf(rule) } }, { upsert: true });
  }

  /**
   * Counts every submitted document of one author again, month by month and scope by scope. An
   * author's recounts run one after another: each reads after the write that started it, so the
   * last one written has seen every earlier submit (two at once could otherwise save the older count last).
   */
  recount(rule: PeriodReviewRule, author: string): Promise<void> {
    return this.recounts.run(JSON.stringify([rule.key, author]), () => this.countAuthor(rule, author));
  }

  private async countAuthor(rule: PeriodReviewRule, author: string): Promise<void> {
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
    // One commit for the author's months; then the months they no longer have anything in.
    const writes: BatchWrite[] = [...counted.values()].map(({ _id, ...values }) => {
      values.categories.sort((a, b) => a.category.localeCompare(b.category));
      return { collection: this.tallies.name, updateOne: { filter: { _id }, update: { $set: values }, upsert: true } };
    });
    if (writes.length > 0) await this.store.writeAtomically(writes);
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
