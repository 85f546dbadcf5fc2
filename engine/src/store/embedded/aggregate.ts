/** Which other collections a pipeline reads, so they can be loaded before mingo runs it. */
import { assertCollectionName, isPlainObject } from '../hygiene.js';
import type { Pipeline } from '../types.js';

/** Collections named by $lookup, $graphLookup and $unionWith, at any depth ($facet, sub-pipelines). */
export function referencedCollections(pipeline: Pipeline, out = new Set<string>()): Set<string> {
  for (const stage of pipeline) {
    if (!isPlainObject(stage)) continue;
    for (const [operator, body] of Object.entries(stage)) {
      if ((operator === '$lookup' || operator === '$graphLookup') && isPlainObject(body)) {
        if (body.from !== undefined) add(body.from, out);
        if (Array.isArray(body.pipeline)) referencedCollections(body.pipeline, out);
      } else if (operator === '$unionWith') {
        if (typeof body === 'string') add(body, out);
        else if (isPlainObject(body)) {
          if (body.coll !== undefined) add(body.coll, out);
          if (Array.isArray(body.pipeline)) referencedCollections(body.pipeline, out);
        }
      } else if (operator === '$facet' && isPlainObject(body)) {
        for (const sub of Object.values(body)) if (Array.isArray(sub)) referencedCollections(sub, out);
      }
    }
  }
  return out;
}

function add(name: unknown, out: Set<string>): void {
  assertCollectionName(name);
  out.add(name);
}

/**
 * Rewrites what mingo does differently from MongoDB: `$count` on no input gives no document in
 * MongoDB but `{ n: 0 }` in mingo, so it becomes the `$group` + `$project` MongoDB documents it as.
 */
export function forMingo(pipeline: Pipeline): Pipeline {
  return pipeline.flatMap((stage) => {
    if (!isPlainObject(stage)) return [stage];
    const [operator, body] = Object.entries(stage)[0] ?? [];
    if (operator === '$count' && typeof body === 'string') {
      return [{ $group: { _id: null, [body]: { $sum: 1 } } }, { $project: { _id: 0 } }];
    }
    if (operator === '$facet' && isPlainObject(body)) {
      return [{ $facet: Object.fromEntries(Object.entries(body).map(([k, sub]) => [k, Array.isArray(sub) ? forMingo(sub) : sub])) }];
    }
    if ((operator === '$lookup' || operator === '$unionWith') && isPlainObject(body) && Array.isArray(body.pipeline)) {
      return [{ [operator]: { ...body, pipeline: forMingo(body.pipeline) } }];
    }
    return [stage];
  });
}
