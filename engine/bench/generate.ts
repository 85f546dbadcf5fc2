/**
 * Fills a store with a generated year of CTS data: `npm run gen -- --cases 100000 [--year 2026]
 * [--replace]`, into DATA_DIR (or MONGODB_URI) like the engine. A store that already has cases
 * is left alone unless --replace is given (which drops everything first).
 */
import { parseArgs } from 'node:util';
import { createEngine, publishDefinitionsFromDisk } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { generateYear } from './cts-year.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '1000' }, year: { type: 'string', default: '2026' }, replace: { type: 'boolean', default: false } } });
const cases = Number(values.cases);
const year = Number(values.year);
if (!Number.isInteger(cases) || cases < 1) throw new Error(`--cases must be a positive whole number, got "${values.cases}"`);
if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new Error(`--year must be a year such as 2026, got "${values.year}"`);

const config = loadConfig({ ...process.env, DEMO_DATA: 'none' });
let engine = await createEngine(config, { oidc: null });
try {
  if ((await engine.services.cases.cases.countDocuments({})) > 0) {
    if (!values.replace) throw new Error(`The store in ${config.mongodbUri ? 'MONGODB_URI' : config.dataDir} already has cases: pass --replace to drop everything and generate anew.`);
    await engine.services.store.dropDatabase();
    // Reopened after the drop so every index is created again.
    await engine.close();
    engine = await createEngine(config, { oidc: null });
  }
  await publishDefinitionsFromDisk(engine.services);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await generateYear(engine.services, {
    cases, year, formsDir: config.formsDir,
    progress: (written) => process.stdout.write(`\r${written} of ${cases} cases`),
  });
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const perCase = (ms: number) => (ms / result.cases).toFixed(1);
  console.log(`\n${result.cases} cases, ${result.documents} documents, ${result.tasks} tasks, ${result.users} users for ${year} in ${(elapsed / 1000).toFixed(1)} s (${config.mongodbUri ? 'MongoDB' : config.dataDir})`);
  console.log(`per case: ${perCase(elapsed)} ms, ${perCase((cpu.user + cpu.system) / 1000)} ms CPU`);
} finally {
  await engine.close();
}
