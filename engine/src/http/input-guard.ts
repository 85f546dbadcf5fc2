/**
 * Refuses request bodies and query strings carrying keys that could be read as store
 * operators (`$...`) or that touch object prototypes, before any handler sees them.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../errors.js';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function findUnsafeKey(value: unknown, path: string, depth = 0): string | null {
  if (depth > 64) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeKey(value[i], `${path}/${i}`, depth + 1);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const here = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key.startsWith('$') || PROTOTYPE_KEYS.has(key) || key.includes('\u0000')) return here;
      const found = findUnsafeKey((value as Record<string, unknown>)[key], here, depth + 1);
      if (found !== null) return found;
    }
  }
  return null;
}

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['', request.body], ['/query', request.query]] as const) {
      const bad = findUnsafeKey(value, part);
      if (bad !== null) {
        throw new BadRequestError('The request contains a field name that is not allowed', [
          { path: bad, message: 'field names may not start with "$", contain NUL, or be __proto__, constructor or prototype, and data may not nest deeper than 64 levels' },
        ]);
      }
    }
  });
}
