/** RFC 6901 JSON pointer helpers used to name the place of each problem. */

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Joins a base pointer and raw (unescaped) tokens: `pointer('/schema', 'properties', 'a/b')` → `/schema/properties/a~1b`. */
export function pointer(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => '/' + escapeToken(t)).join('');
}

/** Splits a pointer into unescaped tokens; undefined when it is not a pointer. */
export function parsePointer(value: string): string[] | undefined {
  if (value === '') return [];
  if (!value.startsWith('/')) return undefined;
  return value.slice(1).split('/').map(unescapeToken);
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

const UNSAFE_TOKENS = new Set(['__proto__', 'constructor', 'prototype']);

function tokensOf(value: string): string[] {
  const tokens = parsePointer(value);
  if (tokens === undefined) throw new Error(`"${value}" is not a JSON pointer (it must start with "/")`);
  return tokens;
}

/** The value at `at` inside `target` (own properties only); undefined when absent. */
export function getAt(target: unknown, at: string): unknown {
  let node: any = target;
  for (const token of tokensOf(at)) {
    if (node === null || typeof node !== 'object' || !hasOwn(node, token)) return undefined;
    node = node[token];
  }
  return node;
}

/** Writes `value` at `at` inside `target`, creating objects on the way. */
export function setAt(target: Record<string, any>, at: string, value: unknown): void {
  const tokens = tokensOf(at);
  if (tokens.length === 0 || tokens.some((t) => UNSAFE_TOKENS.has(t))) throw new Error(`cannot write at "${at}"`);
  let node = target;
  for (const token of tokens.slice(0, -1)) {
    if (!isPlainObject(node[token])) node[token] = {};
    node = node[token];
  }
  node[tokens[tokens.length - 1]] = value;
}
