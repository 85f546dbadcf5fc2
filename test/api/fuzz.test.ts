/**
 * Throws malformed and hostile input at every documented route, signed in and not, and
 * checks that nothing a client can send produces a 500 or leaks internals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.js';

let t: TestEngine;
let cookie: string;

beforeAll(async () => {
  t = await startTestEngine();
  const res = await t.engine.http.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'program.admin@example.org', password: 'Demo-Pass-2026!' } });
  cookie = String([res.headers['set-cookie']].flat()[0]).split(';')[0];
});
afterAll(() => t?.stop());

const PARAM_VALUES = ['000000000000000000000000', '%24where', '__proto__', 'constructor', '..%2F..%2Fetc', 'a'.repeat(300), '%00', 'form', '1'];
const RAW_BODIES: [string, string][] = [
  ['application/json', '{"a":'],
  ['application/json', '[]'],
  ['application/json', 'null'],
  ['application/json', '"text"'],
  ['application/json', '12345'],
  ['application/json', '{"__proto__":{"admin":true}}'],
  ['application/json', '{"constructor":{"prototype":{"admin":true}}}'],
  ['application/json', '{"$where":"sleep(1000)"}'],
  ['application/json', '{"data":{"$set":{"x":1}},"version":1}'],
  ['application/json', `{"data":${'{"a":'.repeat(200)}1${'}'.repeat(200)},"version":1}`],
  ['application/json', '\u0000\u0001'],
  ['text/plain', 'hello'],
  ['application/xml', '<a/>'],
  ['multipart/form-data; boundary=x', '--x\r\nbroken'],
  ['application/x-www-form-urlencoded', 'a=1'],
];
const WRONG_VALUES: unknown[] = [12345, 'x', true, null, [], {}, { $ne: null }, -1, 1e308, 'a'.repeat(10_000)];
const QUERIES = ['?limit=abc', '?skip=-1', '?kind=%24ne', '?a[$ne]=1', '?from=x&to=y', '?status[$gt]=', '?limit=100000000'];

function fill(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, value);
}

describe('fuzzing every route', () => {
  it('never answers 5xx, and 4xx answers are JSON without stack traces', async () => {
    const spec = (await t.engine.http.inject({ method: 'GET', url: '/docs/json' })).json();
    const routes: { method: string; path: string; bodyProps: string[] }[] = [];
    for (const [path, ops] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        routes.push({ method: method.toUpperCase(), path, bodyProps: Object.keys(schema?.properties ?? {}) });
      }
    }
    expect(routes.length).toBeGreaterThanOrEqual(15);

    let requests = 0;
    const failures: string[] = [];
    const send = async (method: string, url: string, payload?: string | object, contentType?: string, signedIn = true) => {
      requests++;
      const res = await t.engine.http.inject({
        method: method as any,
        url,
        headers: { ...(signedIn ? { cookie } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
        ...(payload === undefined ? {} : { payload: payload as any }),
      });
      if (res.statusCode >= 500) failures.push(`${method} ${url} ${String(payload).slice(0, 60)} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (res.statusCode >= 400) {
        const body = res.json();
        if (typeof body.message !== 'string' || /\bat .*\.(ts|js):\d+/.test(res.body)) failures.push(`${method} ${url} -> unexpected error body ${res.body.slice(0, 200)}`);
      }
    };

    for (const route of routes) {
      for (const value of PARAM_VALUES) {
        const url = fill(route.path, value);
        await send(route.method, url, undefined, undefined, false);
        await send(route.method, url, route.method === 'GET' ? undefined : {});
        for (const query of QUERIES) await send(route.method, url + query);
      }
      if (route.method === 'GET') continue;
      const url = fill(route.path, PARAM_VALUES[0]);
      for (const [type, raw] of RAW_BODIES) await send(route.method, url, raw, type);
      for (const prop of route.bodyProps) {
        for (const wrong of WRONG_VALUES) await send(route.method, url, JSON.stringify({ [prop]: wrong }), 'application/json');
      }
    }
    console.log(`fuzz: ${routes.length} routes, ${requests} requests`);
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses a body over the size limit with 413', async () => {
    const res = await t.engine.http.inject({
      method: 'POST', url: '/api/cases', headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ caseType: 'assignment', data: { note: 'x'.repeat(t.config.bodyLimit) } }),
    });
    expect(res.statusCode).toBe(413);
  });

  it('names a $-prefixed key in the data when refusing it', async () => {
    const res = await t.engine.http.inject({
      method: 'POST', url: '/api/cases', headers: { cookie },
      payload: { caseType: 'assignment', data: { youth: { $gt: '' } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/data/youth/$gt');
  });
});
