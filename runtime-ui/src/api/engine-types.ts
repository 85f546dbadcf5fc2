/**
 * The engine's API shapes as the browser receives them: the engine's own declarations (types
 * only, nothing of the engine is bundled), with dates as the ISO strings JSON carries.
 */
import type { AccountView, PasswordHandout } from '../../../engine/src/auth/account-api.js';
import type { Principal as EnginePrincipal } from '../../../engine/src/auth/principal.js';
import type { PeriodReviewView } from '../../../engine/src/reviews/period-review-api.js';

/** A value as it arrives in JSON: every Date becomes its ISO string. */
export type Wire<T> = T extends Date ? string
  : T extends readonly (infer Item)[] ? Wire<Item>[]
  : T extends object ? { [K in keyof T]: Wire<T[K]> }
  : T;

export type Account = Wire<AccountView>;
export type Handout = Wire<PasswordHandout>;
export type { AccountChanges, NewAccount, PasswordDelivery as Delivery } from '../../../engine/src/auth/account-api.js';
export type { AccountField, AdministrationView as Administration } from '../../../engine/src/auth/admin-scope.js';
export type { LookupItem } from '../../../engine/src/definitions/types.js';
export type { ListingColumn, ListingSearch, ListingConfig as Listing } from '../../../engine/src/documents/case-listing.js';
export type { CaseDisplay } from '../../../engine/src/definitions/case-display.js';
export type { AuthorDocuments, AuthorSummary, ReviewedDocument } from '../../../engine/src/reviews/period-review-api.js';

/** A month's review as GET /api/period-reviews/:key/:period answers it. */
export type PeriodReview = Wire<PeriodReviewView>;

/** Who is signed in, as GET /api/auth/me answers. */
export interface Principal extends EnginePrincipal {
  /** The user administers user accounts (GET /api/users/administration says which). */
  managesAccounts?: boolean;
  csrfToken?: string;
}
