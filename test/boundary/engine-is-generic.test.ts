import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The engine is generic: CTS lives in forms/, processes/, engine/reports/ and demo data.
const CTS_TERMS = /\b(Advocate|Advocacy|CSW|SCSW|DPO|SDPO|CSEC|Probation|DCFS|CPM|referral|FRP|assignment)s?\b/i;
const engineSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../engine/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|tsx|js|json)$/.test(name) ? [full] : [];
  });
}

describe('engine/src names no CTS concept', () => {
  const files = sourceFiles(engineSrc);

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('has no CTS term in any source line', () => {
    const hits = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ file: path.relative(engineSrc, file), line: i + 1, text: line.trim() }))
        .filter((l) => CTS_TERMS.test(l.text)),
    );
    expect(hits).toEqual([]);
  });
});
