/**
 * The Tasks inbox (GET /api/tasks: TaskService.listFor) on a generated year of CTS data with its
 * approval tasks (cts-year.ts, cts-tasks.ts), for a worker and a supervisor who have open tasks,
 * the County Program Manager, a CSEC admin and an agency admin: each the median of a few runs
 * (target: under 1,000 ms), with how many open tasks their roles reach and how many they may act
 * on. By default it generates a small year (BENCH_TASKS_CASES, 2000 cases) in a temporary folder;
 * point BENCH_TASKS_DATA_DIR at a store filled by `npm run gen -- --cases 100000` for the
 * 100k-case year. Never asserts anything.
 */
import type { Principal } from '../src/auth/principal.js';
import type { UserRecord } from '../src/auth/users.js';
import type { EngineServices } from '../src/services.js';
import { withCtsYear } from './cts-year-engine.js';
import { median, printTable } from './figures.js';

const TARGET_MS = 1000;
const ROUNDS = 5;

function principalOf(user: UserRecord): Principal {
  return { userId: user._id, email: user.email, name: `${user.firstName} ${user.lastName}`, roles: user.roles, attributes: user.attributes };
}

/** The user holding `role` on the case of an open task of the given step. */
async function holderOfOpenTask(services: EngineServices, activityId: string, role: string): Promise<UserRecord | null> {
  const open = await services.tasks.tasks.find({ status: 'open', activityId }, { limit: 50 });
  for (const task of open) {
    const record = task.caseId ? await services.cases.cases.findOne({ _id: task.caseId }) : null;
    const holder = record?.people.find((p) => p.role === role);
    const user = holder ? await services.users.byId(holder.userId) : null;
    if (user) return user;
  }
  return null;
}

export async function benchTasksInbox(): Promise<void> {
  await withCtsYear({ dataDir: 'BENCH_TASKS_DATA_DIR', cases: 'BENCH_TASKS_CASES' }, async ({ engine }) => {
    const { services } = engine;
    const [cases, tasks, open] = await Promise.all([
      services.cases.cases.countDocuments({}), services.tasks.tasks.countDocuments({}), services.tasks.tasks.countDocuments({ status: 'open' }),
    ]);
    const byRole = async (role: string) => services.users.users.findOne({ roles: role });
    const callers: [string, UserRecord | null][] = [
      ['worker (CSW with open tasks)', await holderOfOpenTask(services, 'reviewWorker', 'CSW')],
      ['supervisor (SCSW with open tasks)', await holderOfOpenTask(services, 'reviewSupervisor', 'SCSW')],
      ['County Program Manager', await byRole('CPM')],
      ['DCFS CSEC Admin', await byRole('DCFS CSEC Admin')],
      ['Agency Admin', await byRole('Agency Admin')],
    ];
    const rows: string[][] = [];
    for (const [who, user] of callers) {
      if (!user) {
        rows.push([who, '-', '-', '-', '-']);
        continue;
      }
      const principal = principalOf(user);
      const reached = await services.tasks.tasks.countDocuments({ status: 'open', $or: [{ assignee: user._id }, { assignee: null, candidateRoles: { $in: user.roles } }] });
      const times: number[] = [];
      let listed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const started = performance.now();
        listed = (await services.tasks.listFor(principal)).length;
        times.push(performance.now() - started);
      }
      const ms = median(times);
      rows.push([who, String(reached), String(listed), ms.toFixed(0), (ms / TARGET_MS).toFixed(2)]);
    }
    const headers = ['inbox of', 'open tasks of their roles', 'listed', 'median ms', `÷ ${TARGET_MS} ms target`];
    printTable(`Tasks inbox, median of ${ROUNDS} runs, over ${cases} cases, ${tasks} tasks (${open} open; embedded store)`, headers, rows);
  });
}
