/**
 * What the period review API answers: one author's summary of a month and their documents a page
 * at a time. No dependencies, so the browser app can import these types too.
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
