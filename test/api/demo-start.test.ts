/**
 * The README's start command, for real: the engine built as `npm start` builds it, run as a
 * child process on a fresh data folder, started twice.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/engine.js';

const children: ChildProcess[] = [];
let dataDir = '';

beforeAll(() => {
  // `npm start` runs `npm run build` first; build the same way so the test runs what users run.
  for (const project of ['engine/tsconfig.build.json', 'engine/tsconfig.reports.json']) {
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: repoRoot, stdio: 'pipe' });
  }
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the engine and resolves with everything it printed once it says it is running. */
async function start(port: number): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, ['engine/dist/main.js'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', MONGODB_URI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('password for every demo login')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`engine exited with ${code}:\n${output}`)));
  });
  return { child, output };
}

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function casesOf(port: number, email: string): Promise<{ status: string; data: Record<string, any> }[]> {
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'Demo-Pass-2026!' }),
  });
  expect(login.status, email).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const cases = await fetch(`http://127.0.0.1:${port}/api/cases?limit=100`, { headers: { cookie } });
  return ((await cases.json()) as { items: { status: string; data: Record<string, any> }[] }).items;
}

async function casesSeenBy(port: number, email: string): Promise<number> {
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'Demo-Pass-2026!' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const cases = await fetch(`http://127.0.0.1:${port}/api/cases`, { headers: { cookie } });
  return ((await cases.json()) as { total: number }).total;
}

describe('npm start', () => {
  it('starts with demo data, prints the URL and logins, and keeps the data on a second start', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cts-start-'));
    const port = await freePort();

    const first = await start(port);
    expect(first.output).toContain(`http://127.0.0.1:${port}`);
    expect(first.output).toContain('Demo data loaded');
    expect(first.output).toContain('csw.garcia@example.org');
    expect(first.output).not.toMatch(/Definitions: 0 published/);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: 'ok', store: 'embedded' });
    const docs = await fetch(`http://127.0.0.1:${port}/docs/json`);
    expect(docs.status).toBe(200);
    const adminCases = await casesSeenBy(port, 'cpm.wilson@example.org');
    expect(adminCases).toBeGreaterThanOrEqual(4);

    // Every demo login is printed and signs in; every status of the assignment has a case; the
    // SCSW of the second office (Harbor) sees that office's cases only.
    const demo = JSON.parse(await readFile(path.join(repoRoot, 'forms/demo/demo-data.json'), 'utf8')) as { users: { email: string }[]; cases: unknown[] };
    expect(adminCases).toBe(demo.cases.length);
    for (const { email } of demo.users) {
      expect(first.output).toContain(email);
      await casesOf(port, email);
    }
    const all = await casesOf(port, 'cpm.wilson@example.org');
    for (const status of ['New', 'Pending Supervisor Approval', 'Pending CSEC Admin Approval', 'Approved', 'Rejected', 'Active', 'Terminated', 'Closed']) {
      expect(all.some((c) => c.status === status), status).toBe(true);
    }
    // The built engine loads the compiled report definitions.
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'cpm.wilson@example.org', password: 'Demo-Pass-2026!' }),
    });
    const reports = await fetch(`http://127.0.0.1:${port}/api/reports`, { headers: { cookie: login.headers.get('set-cookie')!.split(';')[0] } });
    expect(((await reports.json()) as { id: string }[]).map((r) => r.id)).toContain('deliverables');
    const harbor = await casesOf(port, 'scsw.reyes@example.org');
    expect(harbor.length).toBe(all.filter((c) => c.data.dcfsOffice === 'Harbor').length);
    expect(harbor.every((c) => c.data.dcfsOffice === 'Harbor')).toBe(true);
    await stop(first.child);

    const second = await start(port);
    expect(second.output).toContain('Demo data already present');
    expect(second.output).toContain('Definitions: 0 published now');
    expect(await casesSeenBy(port, 'cpm.wilson@example.org')).toBe(adminCases);
    await stop(second.child);
  }, 120_000);
});
