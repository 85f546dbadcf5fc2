/** Child process of the restart test: starts instances, takes some steps, reports, then waits to be killed. */
import { createHarness, openMatter, seedApproval } from './harness.js';

const dir = process.argv[2];
const h = await createHarness(dir);
await seedApproval(h);
const { runtime, tasks } = h.engine.services;
const instances: string[] = [];
for (let i = 0; i < 6; i++) {
  const matter = await openMatter(h);
  instances.push((await runtime.start({ processKey: 'two-level-approval', caseId: matter._id, startedBy: h.users.worker.userId }))._id);
}
for (const task of await tasks.listFor(h.users.worker)) await tasks.complete(h.users.worker, task._id, { decision: 'complete' });
// Half get their supervisor's approval before the crash.
for (const task of (await tasks.listFor(h.users.supA1)).slice(0, 3)) await tasks.complete(h.users.supA1, task._id, { decision: 'approve' });
process.stdout.write(`READY ${JSON.stringify(instances)}\n`);
setInterval(() => undefined, 1000);
