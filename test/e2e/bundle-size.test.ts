/**
 * The initial JavaScript of the runtime UI (the entry chunk named in dist/index.html and every
 * chunk it imports statically, per the Vite manifest) stays under 350 KB gzip, so the first
 * screen loads fast on county networks; rarely used screens go behind React.lazy(). Sizes are
 * printed. Needs the built UI (`npm run build:ui`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/engine.js';

const dist = path.join(repoRoot, 'runtime-ui', 'dist');
const LIMIT_BYTES = 350 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

async function manifest(): Promise<Record<string, ManifestChunk>> {
  const file = path.join(dist, '.vite', 'manifest.json');
  if (!existsSync(file)) throw new Error('No Vite manifest: run "npm run build:ui" (build.manifest is on in runtime-ui/vite.config.ts).');
  return JSON.parse(await readFile(file, 'utf8'));
}

/** The manifest keys of the entry and of everything it imports statically, transitively. */
function initialChunks(chunks: Record<string, ManifestChunk>, entryKey: string): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of chunks[key]?.imports ?? []) visit(imported);
  };
  visit(entryKey);
  return [...seen];
}

describe('runtime UI bundle', () => {
  it('loads at most 350 KB gzip of JavaScript before the first screen', async () => {
    const chunks = await manifest();
    const html = await readFile(path.join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\/?([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length, 'index.html loads a module script').toBeGreaterThan(0);
    const entries = Object.entries(chunks).filter(([, c]) => c.isEntry && scripts.includes(c.file));
    expect(entries.map(([, c]) => c.file).sort()).toEqual([...scripts].sort());

    const keys = [...new Set(entries.flatMap(([key]) => initialChunks(chunks, key)))];
    let total = 0;
    for (const key of keys) {
      const file = chunks[key].file;
      const bytes = await readFile(path.join(dist, file));
      const gzipped = gzipSync(bytes, { level: 9 }).length;
      total += gzipped;
      console.log(`initial chunk ${file}: ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzip`);
    }
    const lazy = Object.values(chunks).filter((c) => !keys.some((k) => chunks[k] === c) && c.file.endsWith('.js'));
    for (const chunk of lazy) console.log(`lazy chunk ${chunk.file}: ${(gzipSync(await readFile(path.join(dist, chunk.file)), { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
    console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KB gzip of ${LIMIT_BYTES / 1024} KB allowed`);
    expect(total).toBeLessThan(LIMIT_BYTES);
  });

  it('keeps the Management Reports screen out of the initial JavaScript', async () => {
    const chunks = await manifest();
    const entryKey = Object.keys(chunks).find((k) => chunks[k].isEntry)!;
    const initial = initialChunks(chunks, entryKey);
    const reports = Object.keys(chunks).filter((k) => k.includes('screens/reports/ReportsScreen'));
    expect(reports.length, 'the reports screen is a chunk of its own').toBe(1);
    expect(initial).not.toContain(reports[0]);
    expect(chunks[entryKey].dynamicImports ?? []).toContain(reports[0]);
  });
});
