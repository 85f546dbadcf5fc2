/**
 * An engine on a year of CTS data for the benchmarks that need one: the store a variable names
 * (filled by `npm run gen -- --cases 100000`), or a small year generated in a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, publishDefinitionsFromDisk, type Engine } from '../src/app.js';
import { loadConfig, type EngineConfig } from '../src/config.js';
import { generateYear } from './cts-year.js';

export const BENCH_YEAR = 2026;

export interface CtsYear {
  engine: Engine;
  config: EngineConfig;
  /** The store named by the variable, if one was. */
  given?: string;
  /** How long opening the engine took (it may count what the store lacks). */
  openMs: number;
  /** What was generated, when nothing was given. */
  generated?: { cases: number; documents: number; seconds: number };
}

/** Runs `work` on the store in env[dataDir], else on `env[cases]` cases (2,000 unless set) generated in a folder removed afterwards. */
export async function withCtsYear(env: { dataDir: string; cases: string }, work: (year: CtsYear) => Promise<void>): Promise<void> {
  const given = process.env[env.dataDir];
  const dir = given ?? (await mkdtemp(join(tmpdir(), 'bench-cts-year-')));
  const config = loadConfig({ ...process.env, DATA_DIR: dir, DEMO_DATA: 'none', MONGODB_URI: '' });
  const opened = performance.now();
  const engine = await createEngine(config, { oidc: null });
  const openMs = performance.now() - opened;
  try {
    let generated: CtsYear['generated'];
    if (!given) {
      await publishDefinitionsFromDisk(engine.services);
      const started = performance.now();
      const made = await generateYear(engine.services, { cases: Number(process.env[env.cases] ?? 2000), year: BENCH_YEAR, formsDir: config.formsDir });
      generated = { cases: made.cases, documents: made.documents, seconds: (performance.now() - started) / 1000 };
    }
    await work({ engine, config, given, openMs, generated });
  } finally {
    await engine.close();
    if (!given) await rm(dir, { recursive: true, force: true });
  }
}
