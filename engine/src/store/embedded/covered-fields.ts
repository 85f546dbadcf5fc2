/**
 * Which fields of the source documents an aggregation pipeline reads, so the collection can
 * build the documents from an index's keys when the index holds all of them (a covered
 * aggregation, as MongoDB answers from a covering index). Conservative: the pipeline is followed
 * up to the first stage that replaces the documents' shape; anything it cannot account for
 * (`$$ROOT`, `$facet`, a `$lookup` with a pipeline, an unknown stage or operator, a path that
 * names a whole subdocument of a computed field) makes the answer null: read the documents.
 */
import { isPlainObject } from '../hygiene.js';
import type { Pipeline } from '../types.js';

/** Stages after which no field of the source documents is read any more. */
const SHAPE_REPLACING = new Set(['$group', '$project', '$replaceRoot', '$replaceWith', '$count']);

/** Operators that read fields without naming them as "$path" (or run code). */
const OPAQUE_OPERATORS = new Set(['$getField', '$setField', '$unsetField', '$function', '$accumulator', '$where', '$text', '$jsonSchema']);

class NotCovered extends Error {}

class FieldReads {
  readonly fields = new Set<string>();
  /** Paths whose values a stage computed or joined: reads at or under them are not source fields. */
  private readonly computed: string[] = [];

  read(path: string): void {
    if (this.computed.some((c) => path === c || path.startsWith(c + '.'))) return;
    // A prefix of a computed path would mix source and computed values.
    if (this.computed.some((c) => c.startsWith(path + '.'))) throw new NotCovered();
    this.fields.add(path);
  }

  compute(path: string): void {
    this.computed.push(path);
  }

  /** Every "$path" an expression names ("$$var" variables but `$$ROOT`/`$$CURRENT` are not fields). */
  expression(value: unknown): void {
    if (typeof value === 'string') {
      if (/^\$\$(ROOT|CURRENT)\b/.test(value)) throw new NotCovered();
      if (value.startsWith('$') && !value.startsWith('$$')) this.read(value.slice(1));
    } else if (Array.isArray(value)) {
      for (const item of value) this.expression(item);
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (OPAQUE_OPERATORS.has(key)) throw new NotCovered();
        this.expression(item);
      }
    }
  }

  /** A query filter: its field paths (operators apply to the value there only), and `$expr` expressions. */
  filter(filter: unknown): void {
    if (!isPlainObject(filter)) throw new NotCovered();
    for (const [key, condition] of Object.entries(filter)) {
      if (key === '$and' || key === '$or' || key === '$nor') {
        if (!Array.isArray(condition)) throw new NotCovered();
        for (const clause of condition) this.filter(clause);
      } else if (key === '$expr') this.expression(condition);
      else if (key === '$comment') continue;
      else if (key.startsWith('$')) throw new NotCovered();
      else this.read(key);
    }
  }
}

/** An object literal (no operator key): $addFields merges it into an embedded document. */
function isObjectLiteral(value: unknown): boolean {
  return isPlainObject(value) && !Object.keys(value).some((key) => key.startsWith('$'));
}

function stage(reads: FieldReads, name: string, spec: unknown): 'next' | 'done' {
  switch (name) {
    case '$match':
      reads.filter(spec);
      return 'next';
    case '$sort':
      if (!isPlainObject(spec)) throw new NotCovered();
      for (const key of Object.keys(spec)) reads.read(key);
      return 'next';
    case '$limit':
    case '$skip':
      return 'next';
    case '$lookup': {
      if (!isPlainObject(spec) || 'pipeline' in spec || 'let' in spec || typeof spec.localField !== 'string' || typeof spec.as !== 'string') throw new NotCovered();
      reads.read(spec.localField);
      reads.compute(spec.as);
      return 'next';
    }
    case '$unwind': {
      const path = typeof spec === 'string' ? spec : isPlainObject(spec) ? spec.path : undefined;
      if (typeof path !== 'string' || !path.startsWith('$') || path.startsWith('$$')) throw new NotCovered();
      reads.read(path.slice(1));
      if (isPlainObject(spec) && typeof spec.includeArrayIndex === 'string') reads.compute(spec.includeArrayIndex);
      return 'next';
    }
    case '$addFields':
    case '$set': {
      if (!isPlainObject(spec)) throw new NotCovered();
      const entries = Object.entries(spec);
      if (entries.some(([, value]) => isObjectLiteral(value))) throw new NotCovered();
      for (const [, value] of entries) reads.expression(value);
      for (const [path] of entries) reads.compute(path);
      return 'next';
    }
    case '$project': {
      if (!isPlainObject(spec)) throw new NotCovered();
      let includes = false;
      for (const [path, value] of Object.entries(spec)) {
        if (typeof value === 'number' || typeof value === 'boolean') {
          // Only `_id: 0` keeps an inclusion projection; excluding anything else keeps the rest.
          if (value) reads.read(path);
          else if (path !== '_id') throw new NotCovered();
        }
        else if (isObjectLiteral(value)) throw new NotCovered();
        else reads.expression(value);
        includes ||= path !== '_id' || Boolean(value);
      }
      // `{ _id: 0 }` alone excludes `_id` and keeps every other field.
      if (!includes) throw new NotCovered();
      return 'done';
    }
    case '$group':
    case '$replaceRoot':
    case '$replaceWith':
    case '$count':
      reads.expression(spec);
      return 'done';
    default:
      throw new NotCovered();
  }
}

/**
 * The paths of source-document fields the pipeline reads (`_id` among them when read), or null
 * when it may need more than those fields (or its output is the documents themselves).
 */
export function sourceFields(pipeline: Pipeline): Set<string> | null {
  const reads = new FieldReads();
  try {
    for (const item of pipeline) {
      const names = Object.keys(item);
      if (names.length !== 1) return null;
      const [name] = names;
      if (stage(reads, name, (item as Record<string, unknown>)[name]) === 'done') {
        return SHAPE_REPLACING.has(name) ? reads.fields : null;
      }
    }
    return null;
  } catch (error) {
    if (error instanceof NotCovered) return null;
    throw error;
  }
}

/**
 * The fields of the documents a `$lookup` joins as `as` (one each, after its `$unwind`) that the
 * pipeline after the join reads, or null when it may read the whole joined document or more than
 * named fields.
 */
export function joinedFields(rest: Pipeline, as: string): Set<string> | null {
  const read = sourceFields(rest);
  if (!read || read.has(as)) return null;
  const out = new Set<string>();
  for (const path of read) if (path.startsWith(as + '.')) out.add(path.slice(as.length + 1));
  return out;
}

/** The field paths a query filter reads, or null when it may read more than named fields. */
export function filterFields(filter: unknown): Set<string> | null {
  const reads = new FieldReads();
  try {
    reads.filter(filter);
    return reads.fields;
  } catch (error) {
    if (error instanceof NotCovered) return null;
    throw error;
  }
}
