/**
 * Remembers feelin's parse trees, so an expression evaluated again (a deliverable rule for every
 * case, a computed field on every save) is not parsed again.
 *
 * feelin parses the text on every evaluate() and has no way to evaluate a tree parsed earlier
 * (its Interpreter is not exported: https://github.com/nikku/feelin/issues/67). It parses through
 * lezer-feel's shared `parser`, calling `parser.configure({ top, contextTracker }).parse(text)`;
 * `withParseCache` wraps that one call for the duration of one synchronous evaluation and answers
 * it from the cache. Outside `withParseCache` the parser behaves as before. Should a feelin
 * release parse differently, the wrapper is simply not reached and every call parses as usual
 * (feel-parse-cache.test.ts notices that).
 *
 * FEEL is context sensitive: a context key can change how the text is read (with a variable
 * named `date`, `date(x)` is a call of that variable; with `a-b`, `a-b` is a name, not a
 * subtraction). So a tree is kept under the text together with every context key that could
 * matter: any key, at any depth, whose first word occurs in the text (with its path and whether
 * it holds a context). Keys whose first word is absent from the text cannot be spelled by it.
 */
import { parser } from 'lezer-feel';
import { LruCache } from '../lru-cache.js';

type Tree = ReturnType<typeof parser.parse>;

const CACHE_SIZE = 2000;
const trees = new LruCache<string, Tree>(CACHE_SIZE);

/** The cache key of the evaluation in progress (null: none, parse as usual). */
let activeKey: string | null = null;
let hits = 0;

const configure = parser.configure.bind(parser);
parser.configure = (config) => {
  const key = activeKey === null ? null : `${config.top ?? ''}\u0000${activeKey}`;
  if (key === null) return configure(config);
  const cached = trees.get(key);
  if (cached) {
    hits++;
    return { parse: () => cached } as unknown as ReturnType<typeof configure>;
  }
  const configured = configure(config);
  return {
    parse: (input: string) => {
      const tree = configured.parse(input);
      trees.set(key, tree);
      return tree;
    },
  } as unknown as ReturnType<typeof configure>;
};

/**
 * Runs `evaluate` (one synchronous feelin evaluate() or unaryTest() of `text` over `context`,
 * the context exactly as feelin is given it) with its parse answered from the cache.
 */
export function withParseCache<T>(text: string, context: Record<string, unknown>, evaluate: () => T): T {
  activeKey = `${text}\u0000${relevantKeys(text, context)}`;
  try {
    return evaluate();
  } finally {
    activeKey = null;
  }
}

/** How many parses the cache has answered (for tests). */
export function parseCacheHits(): number {
  return hits;
}

const firstWords = new Map<string, string>();

/** The first word of a key (letters, digits, '_'), '' when it starts with anything else. */
function firstWord(key: string): string {
  let word = firstWords.get(key);
  if (word === undefined) {
    word = /^[\p{L}\p{N}_]*/u.exec(key.trimStart())?.[0] ?? '';
    if (firstWords.size >= CACHE_SIZE * 10) firstWords.clear();
    firstWords.set(key, word);
  }
  return word;
}

/** The keys that may change how `text` is parsed, with their paths, as one string. */
function relevantKeys(text: string, context: Record<string, unknown>): string {
  const found: string[] = [];
  const enclosing = new Set<object>(); // guards against cycles
  const visit = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null || enclosing.has(value)) return;
    enclosing.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item, `${path}[]`);
    } else {
      for (const key of Object.keys(value)) {
        const word = firstWord(key);
        const entry = (value as Record<string, unknown>)[key];
        const entryPath = `${path}/${JSON.stringify(key)}`;
        if (word === '' || text.includes(word)) found.push(`${entryPath}${typeof entry === 'object' && entry !== null ? '{}' : ''}`);
        visit(entry, entryPath);
      }
    }
    enclosing.delete(value);
  };
  visit(context, '');
  return found.join('\u0000');
}
