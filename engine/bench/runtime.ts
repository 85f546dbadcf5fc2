/**
 * Benchmark of the process runtime against plain bpmn-engine in memory (the ceiling: no store,
 * no history, no task records). A three-user-task chain (start -> a -> b -> c -> end) is run to
 * completion many times through each path; then task completions over real HTTP, then memory
 * per live (cached) instance. Prints tables of figures; never asserts anything.
 */
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance as hooks } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Engine as BpmnEngine } from 'bpmn-engine';
import { createEngine, type Engine } from '../src/app.js';
import type { Principal } from '../src/auth/principal.js';
import { principalOf } from '../src/auth/users.js';
import { parseBpmn } from '../src/bpmn/moddle.js';
import { systemClock } from '../src/clock.js';
import { loadConfig, type EngineConfig } from '../src/config.js';
import { createRuntimeExpressions, readCalendar } from '../src/runtime/expressions.js';
import { LiveInstance } from '../src/runtime/live-instance.js';
import type { ProcessModel } from '../src/runtime/process-models.js';
import { buildBpmn, task } from '../test/runtime/bpmn-builder.js';
import { median, printTable } from './figures.js';

const PROCESS_KEY = 'bench-chain';
const ROLE = 'clerk';
const PASSWORD = 'Bench-Pass-2031!';
const WARM_UP = 50;
const ROUNDS = 9;
const ROUND_INSTANCES = 100;
const CONCURRENCY = 16;
const HTTP_TASKS = 1000;
const HTTP_CLIENTS = 100;
const MEMORY_INSTANCES = 2000;
const PLAIN_MEMORY_ENGINES = 300;
const TARGET_RATIO = 0.8;
const MEMORY_LIMIT = 2 * 1024 ** 3;
const CACHE_BUDGET = 1.5 * 1024 ** 3;
const OPEN_INSTANCES = 100_000;

const chainXml = (): string =>
  buildBpmn(
    'benchChain',
    [
      { id: 'start', type: 'startEvent' },
      { id: 'a', type: 'userTask', name: 'Step A', body: task(ROLE) },
      { id: 'b', type: 'userTask', name: 'Step B', body: task(ROLE) },
      { id: 'c', type: 'userTask', name: 'Step C', body: task(ROLE) },
      { id: 'end', type: 'endEvent' },
    ],
    [
      { id: 'f1', from: 'start', to: 'a' },
      { id: 'f2', from: 'a', to: 'b' },
      { id: 'f3', from: 'b', to: 'c' },
      { id: 'f4', from: 'c', to: 'end' },
    ],
  );

// --- helpers ----------------------------------------------------------------------------

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** Runs `work` for items 0..total-1 with at most `concurrency` at a time; resolves with ms taken. */
async function pool(total: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) await work(next++);
  }));
  return performance.now() - start;
}

const perSecond = (count: number, ms: number): number => count / (ms / 1000);

interface Rate {
  /** Items per second. */
  rate: number;
  /** Process CPU time (all threads: JS, GC, LMDB's writer) per wall time, 1 = one core busy. */
  cpu: number;
  /** Process CPU time per item, ms: the cost of an item whatever else the machine is doing. */
  cpuMs: number;
  /** Share of the wall time the main thread was busy (event loop utilization); the rest it waited, e.g. for commits. */
  busy: number;
}

/** Like pool, as a rate, with the CPU the process used meanwhile. */
async function measure(total: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<Rate> {
  const cpuBefore = process.cpuUsage();
  const loopBefore = hooks.eventLoopUtilization();
  const ms = await pool(total, concurrency, work);
  const busy = hooks.eventLoopUtilization(loopBefore).utilization;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { rate: perSecond(total, ms), cpu: cpuMs / ms, cpuMs: cpuMs / total, busy };
}

const cpuText = (r: Rate): string => `${Math.round(r.cpu * 100)}%`;

// --- the ceiling: plain bpmn-engine --------------------------------------------------------

/**
 * One instance in plain bpmn-engine, each user task signalled as soon as it waits: inside the
 * wait event (the instance runs start to end with no other in between), or `interleaved`, on the
 * next turn of the event loop, so the instances in flight take turns step by step as they do
 * in any runtime serving concurrent clients.
 */
async function runPlain(moddleContext: unknown, interleaved = false): Promise<void> {
  const listener = new EventEmitter();
  listener.on('activity.wait', (api: any) => {
    if (api.type !== 'bpmn:UserTask') return;
    if (interleaved) setImmediate(() => api.signal({ decision: 'complete' }));
    else api.signal({ decision: 'complete' });
  });
  const engine = new BpmnEngine({ name: 'plain', moddleContext } as any);
  const ended = engine.waitFor('end');
  await engine.execute({ listener });
  await ended;
}

// --- the runtime's in-memory part alone (LiveInstance, no store) ----------------------------

async function runLive(model: ProcessModel, evaluate: (e: string, v: Record<string, unknown>) => unknown, withState: boolean): Promise<void> {
  const live = await LiveInstance.start({
    model,
    variables: {},
    evaluate,
    invokeService: () => Promise.reject(new Error('no services in this process')),
    due: () => new Date(),
    now: () => new Date(),
  });
  if (withState) JSON.stringify(await live.state()); // what the runtime saves
  while (!live.completed) {
    const [waiting] = live.waiting();
    await live.signal(waiting.executionId, { decision: 'complete' });
    if (withState && !live.completed) JSON.stringify(await live.state());
  }
}

// --- the runtime with persistence --------------------------------------------------------

interface BenchEngine {
  engine: Engine;
  dir: string;
  clerk: Principal;
  email: string;
  close(): Promise<void>;
}

async function openBenchEngine(cacheSize: number): Promise<BenchEngine> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-runtime-'));
  await mkdir(join(dir, 'empty'), { recursive: true });
  await writeFile(join(dir, 'calendar.json'), JSON.stringify({ timeZone: 'UTC', weekend: [6, 7], holidays: [] }));
  const config: EngineConfig = {
    ...loadConfig({ DATA_DIR: join(dir, 'data'), DEMO_DATA: 'none' }),
    formsDir: join(dir, 'empty'),
    processesDir: join(dir, 'empty'),
    calendarFile: join(dir, 'calendar.json'),
    runtimeCacheSize: cacheSize,
  };
  let engine: Engine;
  try {
    engine = await createEngine(config);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const close = async (): Promise<void> => {
    await engine.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const { definitions, users } = engine.services;
    await definitions.publish('process', PROCESS_KEY, { xml: chainXml() }, 'bench');
    const email = 'clerk@example.org';
    const user = await users.create({ email, firstName: 'Bench', lastName: 'Clerk', roles: [ROLE], password: PASSWORD }, new Date());
    return { engine, dir, clerk: principalOf(user), email, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Start, then each waiting user task completed through ProcessRuntime.signal (task records still written with each step). */
async function runViaSignal({ engine }: BenchEngine): Promise<void> {
  const { runtime } = engine.services;
  let record = await runtime.start({ processKey: PROCESS_KEY, startedBy: 'bench' });
  while (record.status === 'running') {
    const [waiting] = record.waiting;
    record = await runtime.signal(record._id, waiting.executionId, { decision: 'complete' }, { event: 'task.completed', activityId: waiting.activityId, by: 'bench' });
  }
}

/** Start, then each open task completed through TaskService.complete (as the HTTP API does). */
async function runViaTasks({ engine, clerk }: BenchEngine): Promise<void> {
  const { runtime, tasks } = engine.services;
  const record = await runtime.start({ processKey: PROCESS_KEY, startedBy: clerk.userId });
  for (;;) {
    const open = await tasks.tasks.findOne({ instanceId: record._id, status: 'open' }, { projection: { _id: 1 } });
    if (!open) break;
    await tasks.complete(clerk, open._id, { decision: 'complete' });
  }
}

async function countCompleted(bench: BenchEngine): Promise<number> {
  return bench.engine.services.runtime.instances.countDocuments({ status: 'completed' });
}

// --- memory ------------------------------------------------------------------------------

interface MemorySample {
  heapUsed: number;
  rss: number;
}

/** A way to force garbage collection: --expose-gc if given, else the V8 flag set at run time. */
function findGc(): { gc: (() => void) | null; how: string } {
  const global = globalThis as { gc?: () => void };
  if (typeof global.gc === 'function') return { gc: global.gc, how: 'global gc (--expose-gc)' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void, how: 'gc exposed at run time (v8.setFlagsFromString)' };
  } catch {
    // fall through to sampling
  }
  return { gc: null, how: 'no gc available: median of 5 samples' };
}

async function sampleMemory(gc: (() => void) | null): Promise<MemorySample> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  if (gc) {
    for (let i = 0; i < 3; i++) {
      gc();
      await pause(20);
    }
    const { heapUsed, rss } = process.memoryUsage();
    return { heapUsed, rss };
  }
  const samples: MemorySample[] = [];
  for (let i = 0; i < 5; i++) {
    await pause(50);
    const { heapUsed, rss } = process.memoryUsage();
    samples.push({ heapUsed, rss });
  }
  return { heapUsed: median(samples.map((s) => s.heapUsed)), rss: median(samples.map((s) => s.rss)) };
}

// --- the benchmark ---------------------------------------------------------------------------

/** LiveInstance without the store (settle loop, FEEL hooks), with or without getState per step. */
async function liveRunner(moddleContext: any, dir: string): Promise<(withState: boolean) => Promise<void>> {
  const calendarFile = join(dir, 'calendar.json');
  await writeFile(calendarFile, JSON.stringify({ timeZone: 'UTC', weekend: [6, 7], holidays: [] }));
  const expressions = createRuntimeExpressions(systemClock, await readCalendar(calendarFile));
  const elements = new Map<string, any>(Object.entries<any>(moddleContext.elementsById ?? {}));
  const model: ProcessModel = { key: PROCESS_KEY, version: 1, moddleContext, elements };
  const evaluate = (expression: string, variables: Record<string, unknown>) => expressions.evaluate(expression, variables);
  return (withState) => runLive(model, evaluate, withState);
}

interface Path {
  label: string;
  concurrency: number;
  run: () => Promise<unknown>;
  /** The path this one is compared with; none for a ceiling. */
  ceiling?: Path;
  /** A second comparison: plain bpmn-engine with its instances interleaved step by step. */
  reference?: Path;
  referenceRatios: number[];
  /** The 0.8x target applies (a throughput target: concurrent paths only). */
  target?: boolean;
  rounds: Rate[];
  ratios: number[];
  cpuRatios: number[];
}

const medianRate = (rates: Rate[]): Rate => ({
  rate: median(rates.map((r) => r.rate)),
  cpu: median(rates.map((r) => r.cpu)),
  cpuMs: median(rates.map((r) => r.cpuMs)),
  busy: median(rates.map((r) => r.busy)),
});

async function benchThroughput(): Promise<void> {
  const moddleContext = await parseBpmn(chainXml());
  const dir = await mkdtemp(join(tmpdir(), 'bench-live-'));
  const bench = await openBenchEngine(loadConfig().runtimeCacheSize);
  const cold = await openBenchEngine(0); // every command on a cache miss: the engine is rebuilt from saved state each step
  let savedBytes = 0;
  let commitMs = 0;
  let completed = 0;
  let expected = 0;
  const paths: Path[] = [];
  try {
    const live = await liveRunner(moddleContext, dir);
    const path = (label: string, concurrency: number, run: () => Promise<unknown>, ceiling?: Path, reference?: Path): Path => {
      const target = !!ceiling && concurrency > 1 && label.includes('embedded');
      const p: Path = { label, concurrency, run, ceiling, target, reference, rounds: [], ratios: [], cpuRatios: [], referenceRatios: [] };
      paths.push(p);
      return p;
    };
    const plainSeq = path('plain bpmn-engine, in memory, sequential (ceiling)', 1, () => runPlain(moddleContext));
    const plainConc = path(`plain bpmn-engine, in memory, ${CONCURRENCY} at a time (ceiling)`, CONCURRENCY, () => runPlain(moddleContext));
    const interleaved = path(`plain bpmn-engine, in memory, ${CONCURRENCY} at a time, interleaved step by step`, CONCURRENCY, () => runPlain(moddleContext, true), plainConc);
    path('LiveInstance, no store, sequential (settle loop)', 1, () => live(false), plainSeq);
    path('LiveInstance + getState per step, no store, sequential', 1, () => live(true), plainSeq);
    // The runtime's engines interleave (each waits for its commit between steps), as the interleaved
    // plain path does; the ceiling's 16 runs each go start to end in one go.
    path(`LiveInstance + getState per step, no store, ${CONCURRENCY} at a time`, CONCURRENCY, () => live(true), plainConc, interleaved);
    path('runtime.signal, sequential, embedded store', 1, () => runViaSignal(bench), plainSeq);
    path('TaskService.complete, sequential, embedded store', 1, () => runViaTasks(bench), plainSeq);
    path(`runtime.signal, ${CONCURRENCY} at a time, embedded store`, CONCURRENCY, () => runViaSignal(bench), plainConc, interleaved);
    path(`TaskService.complete, ${CONCURRENCY} at a time, embedded store`, CONCURRENCY, () => runViaTasks(bench), plainConc, interleaved);
    path('runtime.signal, sequential, no live cache (recover each step), embedded store', 1, () => runViaSignal(cold), plainSeq);

    for (const p of paths) await pool(WARM_UP, p.concurrency, p.run);
    // Interleaved rounds: each path runs once per round, right after its ceiling, so a machine
    // that speeds up or slows down during the run moves both alike; ratios are per round.
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of paths) {
        const rate = await measure(ROUND_INSTANCES, p.concurrency, p.run);
        p.rounds.push(rate);
        if (p.ceiling) {
          const ceiling = p.ceiling.rounds[round];
          p.ratios.push(rate.rate / ceiling.rate);
          p.cpuRatios.push(ceiling.cpuMs / rate.cpuMs);
        }
        if (p.reference) p.referenceRatios.push(rate.rate / p.reference.rounds[round].rate);
      }
    }
    const runtimeRuns = paths.filter((p) => p.label.includes('embedded')).length * (WARM_UP + ROUNDS * ROUND_INSTANCES);
    expected = runtimeRuns;
    completed = (await countCompleted(bench)) + (await countCompleted(cold));
    // the size of what is saved per step: one instance waiting at its first task
    const waiting = await bench.engine.services.runtime.start({ processKey: PROCESS_KEY, startedBy: 'bench' });
    savedBytes = Buffer.byteLength(JSON.stringify(waiting));
    commitMs = await durableCommitMs(bench);
  } finally {
    await bench.close();
    await cold.close();
    await rm(dir, { recursive: true, force: true });
  }

  const ratioText = (value: number): string => `${value.toFixed(value < 0.1 ? 3 : 2)}x`;
  const rows = paths.map((p) => {
    const r = medianRate(p.rounds);
    const ratio = p.ceiling ? median(p.ratios) : 1;
    const spread = p.ceiling ? `${ratioText(Math.min(...p.ratios))}-${ratioText(Math.max(...p.ratios))}` : '-';
    return [
      p.label, fmt(r.rate), `${fmt(1000 / r.rate)} ms`, cpuText(r), `${Math.round(r.busy * 100)}%`, `${r.cpuMs.toFixed(2)} ms`,
      ratioText(ratio), spread, p.ceiling ? ratioText(median(p.cpuRatios)) : '1.00x',
      p.reference ? ratioText(median(p.referenceRatios)) : '-',
      p.target ? `>= ${TARGET_RATIO}x ${ratio >= TARGET_RATIO ? 'met' : 'NOT MET'}` : '-',
    ];
  });
  printTable(
    `process runtime vs plain bpmn-engine: 3-user-task chain run to completion (1 start + 3 completions per instance); ${ROUNDS} interleaved rounds of ${ROUND_INSTANCES} instances per path after ${WARM_UP} warm-up; medians`,
    ['path', 'instances/s', 'per instance', 'CPU', 'main busy', 'CPU/instance', 'ratio', 'ratio range', 'CPU ratio', 'vs interleaved', 'target'],
    rows,
  );
  console.log('CPU = process CPU time (all threads) / wall time; main busy = event loop utilization (the rest the main thread waited: with every client waiting on one commit, for its fsync);');
  console.log('ratio = median over rounds of (this path / its ceiling in the same round);');
  console.log(
    `vs interleaved = the same against plain bpmn-engine with its ${CONCURRENCY} instances taking turns step by step (each task signalled on the next event-loop turn, ` +
    'as a runtime serving concurrent clients must run them; the ceiling runs each instance start to end alone): what interleaving costs bpmn-engine itself is its ratio above;',
  );
  console.log(`CPU ratio = ceiling's CPU per instance / this path's; ceilings: plain bpmn-engine sequential for sequential paths, ${CONCURRENCY} at a time for concurrent ones; the ${TARGET_RATIO}x target is on concurrent throughput`);
  console.log(
    `sequential: one client waits for each step's durable commit (${commitMs.toFixed(2)} ms here, median of ${COMMIT_SAMPLES}) four times per instance, and the core idles meanwhile; ` +
    'concurrent clients share commits (lmdb batches them), so throughput is bound by CPU',
  );
  console.log(`check: ${completed.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} runtime instances completed; one saved instance waiting at its first task is ${kb(savedBytes)} as JSON`);
}

const COMMIT_SAMPLES = 200;

/** Median time of one small durable write (commit + fsync) on the bench engine's store, one at a time. */
async function durableCommitMs({ engine }: BenchEngine): Promise<number> {
  const probe = engine.services.store.collection('commitProbe');
  const times: number[] = [];
  for (let i = 0; i < COMMIT_SAMPLES; i++) {
    const started = performance.now();
    await probe.insertOne({ i });
    times.push(performance.now() - started);
  }
  return median(times);
}

async function benchHttp(): Promise<void> {
  const bench = await openBenchEngine(loadConfig().runtimeCacheSize);
  try {
    const { engine } = bench;
    const { runtime, tasks } = engine.services;
    await engine.http.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(engine.http.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: bench.email, password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    // Sessions may carry a CSRF token for state-changing requests (sent back in x-csrf-token).
    const { csrfToken } = (await login.json()) as { csrfToken?: string };
    const headers: Record<string, string> = { 'content-type': 'application/json', cookie, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) };

    const starts = await measure(HTTP_TASKS, CONCURRENCY, () => runtime.start({ processKey: PROCESS_KEY, startedBy: bench.clerk.userId }));
    const ids = (await tasks.tasks.find({ status: 'open', activityId: 'a' }, { projection: { _id: 1 } })).map((t) => t._id);

    let firstFailure = '';
    const complete = async (id: string): Promise<boolean> => {
      const response = await fetch(`${base}/api/tasks/${id}/complete`, { method: 'POST', headers, body: '{"decision":"complete"}' });
      const body = await response.text();
      if (!response.ok && !firstFailure) firstFailure = `${response.status} ${body.slice(0, 200)}`;
      return response.ok;
    };
    // a short warm-up over HTTP (the first tasks), then the measured run over the rest
    const warmUp = ids.splice(0, WARM_UP);
    let failures = 0;
    await pool(warmUp.length, 10, async (i) => { if (!(await complete(warmUp[i]))) failures++; });
    const completions = await measure(ids.length, HTTP_CLIENTS, async (i) => { if (!(await complete(ids[i]))) failures++; });
    const advanced = await tasks.tasks.countDocuments({ status: 'open', activityId: 'b' });

    printTable(
      `task completions over HTTP: ${HTTP_CLIENTS} concurrent clients (fetch, keep-alive, in this same process), one session, POST /api/tasks/:id/complete`,
      ['measure', 'figure', 'CPU'],
      [
        [`instances started to their first task (${HTTP_TASKS.toLocaleString('en-US')}, ${CONCURRENCY} at a time, in process)`, `${fmt(starts.rate)}/s`, cpuText(starts)],
        [`task completions/s over HTTP (${ids.length.toLocaleString('en-US')}, after ${warmUp.length} warm-up)`, fmt(completions.rate), cpuText(completions)],
        ['mean latency per completion seen by a client', `${fmt(HTTP_CLIENTS / completions.rate * 1000)} ms`, '-'],
        ['failed requests', failures === 0 ? '0' : `${failures} (first: ${firstFailure})`, '-'],
        ['instances moved on to step b (check)', `${advanced.toLocaleString('en-US')} of ${(ids.length + warmUp.length).toLocaleString('en-US')}`, '-'],
      ],
    );
  } finally {
    await bench.close();
  }
}

/**
 * One shared logger for every element of every engine (bpmn-engine's `Logger` option), for
 * comparison: by default each engine makes three `debug` loggers per element.
 */
const SILENT = { debug() {}, error() {}, warn() {} };
const sharedLogger = () => SILENT;

/** Heap per plain bpmn-engine waiting at its first user task, with its default or a shared Logger. */
async function plainEngineBytes(moddleContext: unknown, gc: (() => void) | null, shared: boolean): Promise<number> {
  const engines: BpmnEngine[] = [];
  const before = await sampleMemory(gc);
  for (let i = 0; i < PLAIN_MEMORY_ENGINES; i++) {
    const engine = new BpmnEngine({ name: 'plain', moddleContext, ...(shared ? { Logger: sharedLogger } : {}) } as any);
    await engine.execute({ listener: new EventEmitter() });
    engines.push(engine);
  }
  const after = await sampleMemory(gc);
  await Promise.all(engines.map((engine) => engine.stop()));
  return (after.heapUsed - before.heapUsed) / engines.length;
}

async function benchMemory(): Promise<void> {
  const { gc, how } = findGc();
  const moddleContext = await parseBpmn(chainXml());
  const plainDefault = await plainEngineBytes(moddleContext, gc, false);
  const plainShared = await plainEngineBytes(moddleContext, gc, true);
  const bench = await openBenchEngine(MEMORY_INSTANCES + 1000);
  try {
    const { runtime } = bench.engine.services;
    const start = () => runtime.start({ processKey: PROCESS_KEY, startedBy: 'bench' });
    // warm the code paths and the store, then forget those engines
    await pool(WARM_UP * 2, CONCURRENCY, start);
    runtime.dropCache();
    const before = await sampleMemory(gc);
    await pool(MEMORY_INSTANCES, CONCURRENCY, start);
    const live = runtime.liveCount;
    const loaded = await sampleMemory(gc);
    runtime.dropCache();
    const dropped = await sampleMemory(gc);

    const heapPer = (loaded.heapUsed - before.heapUsed) / live;
    const heapFreedPer = (loaded.heapUsed - dropped.heapUsed) / live;
    const rssPer = (loaded.rss - before.rss) / live;
    // size the cache from the larger heap figure (growth while loading, or what dropping freed)
    const perLive = Math.max(heapPer, heapFreedPer, 1);
    const heapLimit = v8.getHeapStatistics().heap_size_limit;
    const budget = Math.min(CACHE_BUDGET, MEMORY_LIMIT - before.rss, heapLimit - before.heapUsed);
    const fit = Math.floor(budget / perLive);
    const defaultCache = loadConfig().runtimeCacheSize;
    const defaultBytes = defaultCache * perLive;

    printTable(
      `memory per live instance: ${MEMORY_INSTANCES.toLocaleString('en-US')} instances waiting at a user task, all cached (${how})`,
      ['measure', 'heapUsed', 'rss'],
      [
        ['before (base process, engine open, warmed up)', mb(before.heapUsed), mb(before.rss)],
        [`with ${live.toLocaleString('en-US')} live engines cached`, mb(loaded.heapUsed), mb(loaded.rss)],
        ['after dropCache()', mb(dropped.heapUsed), mb(dropped.rss)],
        ['per live instance (growth while starting)', kb(heapPer), kb(rssPer)],
        ['per live instance (freed by dropCache)', kb(heapFreedPer), kb((loaded.rss - dropped.rss) / live)],
        [`plain bpmn-engine waiting at a user task (${PLAIN_MEMORY_ENGINES} engines, default debug Logger)`, kb(plainDefault), '-'],
        [`plain bpmn-engine waiting at a user task (${PLAIN_MEMORY_ENGINES} engines, one shared Logger)`, kb(plainShared), '-'],
      ],
    );
    console.log(`V8 heap limit ${mb(heapLimit)}; cache budget ${mb(budget)} = min(1.5 GB, 2 GB - base rss, heap limit - base heap); sized at ${kb(perLive)} per live engine`);
    console.log(`live engines that fit the budget: ${fit.toLocaleString('en-US')} -> RUNTIME_CACHE_SIZE <= ${fit.toLocaleString('en-US')} keeps ${OPEN_INSTANCES.toLocaleString('en-US')} open instances within 2 GB (the rest stay in the store and are rebuilt on use)`);
    console.log(`all ${OPEN_INSTANCES.toLocaleString('en-US')} open instances live at once would take ~${mb(OPEN_INSTANCES * perLive)} of heap: ${OPEN_INSTANCES * perLive <= budget ? 'fits' : 'does NOT fit'} the budget`);
    console.log(`configured default RUNTIME_CACHE_SIZE ${defaultCache.toLocaleString('en-US')} -> ~${mb(defaultBytes)} at most: ${defaultCache <= fit ? 'within' : 'OVER'} the budget (${((defaultBytes / budget) * 100).toFixed(1)}% of it)`);
    console.log(`with one shared Logger per process (bpmn-engine's Logger option) an engine would take ~${kb(plainShared)}: ${Math.floor(budget / Math.max(plainShared, 1)).toLocaleString('en-US')} live engines in the same budget`);
    console.log(`after dropCache() heapUsed is back to ${((dropped.heapUsed - before.heapUsed) / Math.max(loaded.heapUsed - before.heapUsed, 1) * 100).toFixed(0)}% of the growth above base (rss: ${((dropped.rss - before.rss) / Math.max(loaded.rss - before.rss, 1) * 100).toFixed(0)}%; V8 returns pages to the OS lazily)`);
  } finally {
    await bench.close();
  }
}

/** What saving engine state costs per step on the largest configured process, bpmn-engine's way and the runtime's. */
async function benchStateSize(): Promise<void> {
  const dir = join(process.cwd(), 'processes');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.bpmn'));
  const sizes = await Promise.all(files.map(async (f) => ({ f, size: (await stat(join(dir, f))).size })));
  // The largest process that waits for a person when its service tasks do nothing (bpmn-engine's dummy services).
  for (const { f } of sizes.sort((a, b) => b.size - a.size)) {
    const moddleContext = await parseBpmn(await readFile(join(dir, f), 'utf8'));
    const plain = new BpmnEngine({ name: 'plain', moddleContext, settings: { enableDummyService: true } } as any);
    const execution = await plain.execute({ listener: new EventEmitter() }).catch(() => null);
    if (!execution || plain.state !== 'running') continue;
    const elements = new Map<string, any>(Object.entries<any>(moddleContext.elementsById ?? {}));
    const live = await LiveInstance.start({
      model: { key: f, version: 1, moddleContext, elements }, variables: {}, evaluate: () => null,
      invokeService: async () => ({}), due: () => new Date(Date.now() + 86400_000), now: () => new Date(),
    }).catch(() => null);
    const time = async (getState: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) JSON.stringify(await getState());
      const started = performance.now();
      let chars = 0;
      for (let i = 0; i < 200; i++) chars = JSON.stringify(await getState()).length;
      return { ms: (performance.now() - started) / 200, chars };
    };
    const a = await time(() => plain.getState());
    const rows = [['bpmn-engine getState() + JSON (the parsed BPMN serialized into every state)', `${a.ms.toFixed(2)} ms`, a.chars.toLocaleString('en-US'), '1.00x']];
    if (live) {
      const b = await time(() => live.state());
      rows.push(['LiveInstance.state() + JSON (what the runtime saves: no serialized BPMN)', `${b.ms.toFixed(2)} ms`, b.chars.toLocaleString('en-US'), `${(a.ms / b.ms).toFixed(1)}x faster`]);
      live.stop();
    }
    await plain.stop();
    printTable(`engine state saved per step, on the largest process in processes/ that waits for a person (${f})`, ['path', 'per step', 'JSON chars', 'ratio'], rows);
    return;
  }
}

export async function benchRuntime(): Promise<void> {
  console.log('\nRuntime benchmark: ProcessRuntime on the embedded store (every step saved, fsynced) vs plain bpmn-engine in memory');
  const started = performance.now();
  await benchThroughput();
  await benchStateSize();
  await benchHttp();
  await benchMemory();
  console.log(`\n(runtime benchmark took ${fmt((performance.now() - started) / 1000)} s)`);
}
