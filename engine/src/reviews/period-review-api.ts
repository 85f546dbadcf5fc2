/**
 * What the period review API answers: a review rule as configured, a month's summary with one
 * page of authors, and one author's documents a page at a time. No dependencies, so the browser
 * app can import these types too.
 */
export interface ReviewedDocument {
  documentId: string;
  caseId: string;
  caseNumber: string;
  date: string;
  category: string;
  measure: number;
  fields: Record<string, unknown>;
}

/** One author's month: documents and measure sums per category, and in all. */
export interface AuthorSummary {
  userId: string;
  name: string;
  counts: Record<string, number>;
  totals: Record<string, number>;
  count: number;
  total: number;
}

/** One page of an author's documents of the month, by category, then date. */
export interface AuthorDocuments {
  author: AuthorSummary;
  total: number;
  items: ReviewedDocument[];
}

export interface PeriodReviewRule {
  key: string;
  title: string;
  /** The form whose submitted documents are reviewed. */
  form: string;
  /** JSON pointers into a document's data. */
  dateField: string;
  /** Where a document records the scope it belongs to: the reviewer's `scopeAttribute` must equal it. */
  scopeField: string;
  categoryField: string;
  measureField: string;
  /** How the measure reads: minutes shown as HH:MM, or a plain number. */
  measureUnit?: 'minutes' | 'number';
  /** Column titles of the author, the number of documents, the case number, the category and the measure on the review screen. */
  authorTitle?: string;
  countTitle?: string;
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
  review: Pick<PeriodReviewRule, 'key' | 'title' | 'measureUnit' | 'columns' | 'authorTitle' | 'countTitle' | 'caseNumberTitle' | 'categoryTitle' | 'measureTitle'>;
  period: string;
  scope: string;
  /** One page of the authors, by name. */
  authors: AuthorSummary[];
  authorCount: number;
  documentCount: number;
  counts: Record<string, number>;
  totals: Record<string, number>;
  total: number;
  submission: PeriodSubmission | null;
}
