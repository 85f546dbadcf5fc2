/** Kills an engine process mid-flow (SIGKILL) and finishes the work on a new one over the same data. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { principalOf } from '../../src/auth/users.js';
import { createHarness, type Harness } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
let dir = '';
let h: Harness | undefined;

afterAll(async () => {
  await h?.close().catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

function runChildUntilReady(): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'restart-child.ts'), dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child not ready:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        child.once('exit', () => resolve(JSON.parse(line.slice(6))));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`child exited ${code}:\n${out}`)));
  });
}

describe('restart', () => {
  it('finishes every instance after SIGKILL as if nothing had happened', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'restart-'));
    const instanceIds = await runChildUntilReady();
    expect(instanceIds).toHaveLength(6);

    h = await createHarness(dir);
    const { tasks, runtime, users, cases } = h.engine.services;
    const who = async (email: string) => principalOf((await users.byEmail(email))!);
    const supervisor = await who('supA1@example.org');
    const admin = await who('admin@example.org');

    const reviews = await tasks.listFor(supervisor);
    expect(reviews.map((t) => t.activityId)).toEqual(['review', 'review', 'review']);
    for (const task of reviews) await tasks.complete(supervisor, task._id, { decision: 'approve' });
    const adminTasks = await tasks.listFor(admin);
    expect(adminTasks).toHaveLength(6);
    for (const task of adminTasks) await tasks.complete(admin, task._id, { decision: 'approve' });

    for (const id of instanceIds) {
      const instance = await runtime.get(id);
      expect(instance.status).toBe('completed');
      expect(instance.history.filter((e) => e.event === 'task.completed').map((e) => `${e.activityId}:${e.decision}`)).toEqual([
        'submit:complete', 'review:approve', 'adminReview:approve',
      ]);
      expect((await cases.cases.findOne({ _id: instance.caseId }))!.status).toBe('Approved');
    }
  }, 120_000);
});
