/**
 * A case type's listing: the columns a list of its cases shows, the fields it can be searched
 * by and the status groups it filters on (declared in the case type's `listing`, checked at
 * publish). Turns the search and sort parameters of a list request into a store filter and
 * sort, refusing (400, naming the parameter) anything the declaration does not offer.
 */
import { BadRequestError, type FieldError } from '../errors.js';
import type { Filter } from '../store/types.js';
import { isPlainObject, pointer } from '../json-pointer.js';

export type SearchMatch = 'exact' | 'prefix' | 'text' | 'date';

export interface ListingColumn {
  key: string;
  label: string;
  /** Record paths (`number`, `status`, `createdAt`, `updatedAt`, `data.<field>`); several are shown joined by a space. */
  fields: string[];
  sortable?: boolean;
  format?: 'date' | 'datetime';
}

export interface ListingSearch {
  key: string;
  label: string;
  /** A record matches when any of these paths matches the value. */
  fields: string[];
  match: SearchMatch;
}

export interface ListingConfig {
  columns: ListingColumn[];
  search?: ListingSearch[];
  /** Named sets of statuses a list may filter on besides a single status (e.g. all but the final ones). */
  statusGroups?: Record<string, string[]>;
  /** The status or status group a search starts with. */
  defaultStatus?: string;
  /** Column key, `-` in front for descending; newest first when absent. */
  defaultSort?: string;
  /**
   * The button that opens a case (for the case type's createRoles), the top-level data fields asked
   * before it opens (so the people who route and see it know about it), and the form started on it.
   */
  create?: { label: string; fields?: string[]; form?: string };
}

export interface ListingParams {
  status?: string;
  sort?: string;
  /** Search values by search key. */
  search: Record<string, string>;
}

const KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const RECORD_FIELDS = new Set(['number', 'status', 'createdAt', 'updatedAt', 'createdBy']);
const DATA_PATH = /^data(\.[A-Za-z_][A-Za-z0-9_]*){1,4}$/;
const MATCHES: SearchMatch[] = ['exact', 'prefix', 'text', 'date'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a case type's `listing` against its statuses and schema. */
export function validateListing(listing: unknown, statuses: string[], schema: unknown): FieldError[] {
  const problems: FieldError[] = [];
  if (!isPlainObject(listing)) return [{ path: '/listing', message: '"listing" must be an object with "columns" (and optionally "search", "statusGroups", "defaultStatus", "defaultSort")' }];
  const checkFields = (fields: unknown, at: string) => {
    if (!Array.isArray(fields) || fields.length === 0 || fields.length > 5) {
      problems.push({ path: at, message: 'A list of 1 to 5 record paths is required (number, status, createdAt, updatedAt or data.<field>)' });
      return;
    }
    fields.forEach((field: unknown, i) => {
      const ok = typeof field === 'string' && (RECORD_FIELDS.has(field) || (DATA_PATH.test(field) && inSchema(schema, field.split('.').slice(1))));
      if (!ok) problems.push({ path: pointer(at, i), message: `"${String(field)}" is not a field of the case record (number, status, createdAt, updatedAt, or data.<field> of the schema)` });
    });
  };
  const checkKeys = (items: unknown[], at: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const key = isPlainObject(item) ? item.key : undefined;
      if (typeof key !== 'string' || !KEY.test(key)) problems.push({ path: pointer(at, i, 'key'), message: 'A key of letters, digits and _ (starting with a letter, up to 40) is required' });
      else if (seen.has(key)) problems.push({ path: pointer(at, i, 'key'), message: `The key "${key}" is used twice` });
      else seen.add(key);
      if (!isPlainObject(item) || typeof item.label !== 'string' || item.label.trim() === '') problems.push({ path: pointer(at, i, 'label'), message: 'A label is required' });
    });
  };
  const columns = listing.columns;
  if (!Array.isArray(columns) || columns.length === 0) {
    problems.push({ path: '/listing/columns', message: 'At least one column is required' });
  } else {
    checkKeys(columns, '/listing/columns');
    columns.forEach((column: any, i) => {
      checkFields(column?.fields, pointer('/listing/columns', i, 'fields'));
      if (column?.format !== undefined && !['date', 'datetime'].includes(column.format)) problems.push({ path: pointer('/listing/columns', i, 'format'), message: 'The format is "date" or "datetime"' });
      if (column?.sortable !== undefined && typeof column.sortable !== 'boolean') problems.push({ path: pointer('/listing/columns', i, 'sortable'), message: '"sortable" is true or false' });
    });
  }
  if (listing.search !== undefined) {
    if (!Array.isArray(listing.search)) problems.push({ path: '/listing/search', message: '"search" must be a list of { key, label, fields, match }' });
    else {
      checkKeys(listing.search, '/listing/search');
      listing.search.forEach((entry: any, i) => {
        checkFields(entry?.fields, pointer('/listing/search', i, 'fields'));
        if (!MATCHES.includes(entry?.match)) problems.push({ path: pointer('/listing/search', i, 'match'), message: `The match is one of ${MATCHES.join(', ')}` });
      });
    }
  }
  const groups = listing.statusGroups;
  if (groups !== undefined) {
    if (!isPlainObject(groups)) problems.push({ path: '/listing/statusGroups', message: '"statusGroups" maps a group name to a list of statuses' });
    else for (const [name, members] of Object.entries(groups)) {
      if (statuses.includes(name)) problems.push({ path: pointer('/listing/statusGroups', name), message: `"${name}" is already a status; give the group another name` });
      if (!Array.isArray(members) || members.length === 0) problems.push({ path: pointer('/listing/statusGroups', name), message: 'A group lists at least one status' });
      else members.forEach((s: unknown, i) => {
        if (typeof s !== 'string' || !statuses.includes(s)) problems.push({ path: pointer('/listing/statusGroups', name, i), message: `"${String(s)}" is not one of the statuses: ${statuses.join(', ')}` });
      });
    }
  }
  if (listing.defaultStatus !== undefined) {
    const known = [...statuses, ...(isPlainObject(groups) ? Object.keys(groups) : [])];
    if (typeof listing.defaultStatus !== 'string' || !known.includes(listing.defaultStatus)) {
      problems.push({ path: '/listing/defaultStatus', message: `The default status is one of: ${known.join(', ')}` });
    }
  }
  if (listing.defaultSort !== undefined) {
    const key = typeof listing.defaultSort === 'string' ? listing.defaultSort.replace(/^-/, '') : '';
    if (!Array.isArray(columns) || !columns.some((c: any) => c?.key === key && c?.sortable)) {
      problems.push({ path: '/listing/defaultSort', message: 'The default sort is the key of a sortable column, with - in front for descending' });
    }
  }
  if (listing.create !== undefined) {
    const create = listing.create;
    if (!isPlainObject(create) || typeof create.label !== 'string' || create.label.trim() === '') {
      problems.push({ path: '/listing/create/label', message: 'The label of the button that opens a case is required' });
    }
    if (isPlainObject(create) && create.form !== undefined && (typeof create.form !== 'string' || !/^[a-z][a-z0-9-]{1,63}$/.test(create.form))) {
      problems.push({ path: '/listing/create/form', message: 'The form started on a new case is a form key (lower case letters, digits and -)' });
    }
    if (isPlainObject(create) && create.fields !== undefined) {
      if (!Array.isArray(create.fields)) problems.push({ path: '/listing/create/fields', message: 'The fields asked when a case opens are a list of data field names' });
      else create.fields.forEach((field: unknown, i: number) => {
        if (typeof field !== 'string' || !inSchema(schema, [field])) {
          problems.push({ path: pointer('/listing/create/fields', i), message: `"${String(field)}" is not a top-level field of the case schema` });
        }
      });
    }
  }
  return problems;
}

function inSchema(schema: unknown, tokens: string[]): boolean {
  let node: any = schema;
  for (const token of tokens) {
    node = isPlainObject(node) && isPlainObject(node.properties) ? node.properties[token] : undefined;
    if (!isPlainObject(node)) return false;
  }
  return true;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The filter and sort of a list request over one case type's cases (the caller adds the access filter). */
export interface ListingQuery {
  criteria: Filter[];
  sort: Record<string, 1 | -1>;
  /**
   * Exact searches over several fields: the store plans an $or through indexes only when each
   * clause pins an index's leading fields, and these clauses name one field without the case
   * type their indexes start with; so the caller may first find the ids matching each
   * single-field filter (with the case type, indexed) and narrow to their union.
   */
  anyOf: Filter[][];
}

export function listingQuery(listing: ListingConfig | undefined, statuses: string[], params: ListingParams): ListingQuery {
  const criteria: Filter[] = [];
  const anyOf: Filter[][] = [];
  if (params.status) {
    const group = listing?.statusGroups?.[params.status];
    if (group) criteria.push({ status: { $in: group } });
    else if (statuses.includes(params.status)) criteria.push({ status: params.status });
    else {
      const known = [...statuses, ...Object.keys(listing?.statusGroups ?? {})];
      throw new BadRequestError('Unknown status', [{ path: '/status', message: `"${params.status}" is not a status or status group (allowed: ${known.join(', ')})` }]);
    }
  }
  const searches = new Map((listing?.search ?? []).map((s) => [s.key, s]));
  for (const [key, raw] of Object.entries(params.search)) {
    const entry = searches.get(key);
    if (!entry) {
      throw new BadRequestError('Unknown search field', [{ path: `/f.${key}`, message: searches.size ? `this case type is searched by: ${[...searches.keys()].join(', ')}` : 'this case type declares no search fields' }]);
    }
    const value = raw.trim();
    if (value === '') continue;
    if (entry.match === 'date' && !DATE.test(value)) {
      throw new BadRequestError('A date is expected', [{ path: `/f.${key}`, message: `"${value}" is not a date in the form YYYY-MM-DD` }]);
    }
    const condition = entry.match === 'prefix' ? { $regex: `^${escapeRegex(value)}`, $options: 'i' }
      : entry.match === 'text' ? { $regex: escapeRegex(value), $options: 'i' }
        : value;
    criteria.push(entry.fields.length === 1 ? { [entry.fields[0]]: condition } : { $or: entry.fields.map((f) => ({ [f]: condition })) });
    if (entry.fields.length > 1 && (entry.match === 'exact' || entry.match === 'date')) anyOf.push(entry.fields.map((f) => ({ [f]: value })));
  }
  const sortParam = params.sort ?? listing?.defaultSort;
  let sort: Record<string, 1 | -1> = { createdAt: -1 };
  if (sortParam) {
    const descending = sortParam.startsWith('-');
    const column = listing?.columns.find((c) => c.key === sortParam.replace(/^-/, '') && c.sortable);
    if (!column) {
      const sortable = (listing?.columns ?? []).filter((c) => c.sortable).map((c) => c.key);
      throw new BadRequestError('Unknown sort', [{ path: '/sort', message: sortable.length ? `sort by one of: ${sortable.join(', ')} (with - in front for descending)` : 'this case type declares no sortable columns' }]);
    }
    sort = Object.fromEntries([...column.fields.map((f) => [f, descending ? -1 : 1] as const), ['_id', descending ? -1 : 1] as const]);
  }
  return { criteria, sort, anyOf };
}

/**
 * Indexes that let the store find a case type's cases by each field of its exact and date
 * searches; the status comes last so that the index pins more fields than (caseType, status)
 * when a status filter is given too, and the planner prefers it. Each field of a prefix or text
 * search and of a sortable one-field column gets (caseType, field), unless a search index
 * already starts so: the store tests a search's pattern on that index's keys rather than on
 * every case, and pages a sorted list by walking it rather than sorting every case.
 */
export function listingIndexes(listing: ListingConfig | undefined): Record<string, 1>[] {
  const fields = new Set((listing?.search ?? []).filter((s) => s.match === 'exact' || s.match === 'date').flatMap((s) => s.fields));
  const matched = (listing?.search ?? []).filter((s) => s.match === 'prefix' || s.match === 'text').flatMap((s) => s.fields);
  const sorted = (listing?.columns ?? []).filter((c) => c.sortable && c.fields.length === 1).map((c) => c.fields[0]);
  return [
    ...[...fields].map((f) => ({ caseType: 1 as const, [f]: 1 as const, status: 1 as const })),
    ...[...new Set([...matched, ...sorted])].filter((f) => !fields.has(f)).map((f) => ({ caseType: 1 as const, [f]: 1 as const })),
  ];
}
