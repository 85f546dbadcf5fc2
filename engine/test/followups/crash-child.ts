/**
 * Child process of the follow-up crash test: seeds a draft note, prints its ids, then submits it
 * and kills itself with SIGKILL at a hook in the after-work: `before-start` as the process is
 * about to start (the submit committed, none of its after-work ran), `after-start` right after
 * the instance's start committed (the rest of the after-work did not run), `after-deliver` on a
 * resubmit after a rejection, right after the message to the running instance committed.
 */
import { principalOf } from '../../src/auth/users.js';
import { NOTE_DATA, openHarness, seedNote } from './setup.js';

const [dir, mode] = process.argv.slice(2);
const h = await openHarness(dir);
const ids = await seedNote(h);
process.stdout.write(`IDS ${JSON.stringify(ids)}\n`);
const { runtime, documents, tasks, users } = h.engine.services;
let version = ids.version;
if (mode === 'after-deliver') {
  await documents.submit(ids.author, ids.draftId, { data: NOTE_DATA, signatureName: ids.author.name, expectedVersion: version });
  const reviewer = principalOf((await users.byEmail('reviewer@example.org'))!);
  const [review] = await tasks.listFor(reviewer);
  await tasks.complete(reviewer, review._id, { decision: 'reject', reason: 'more' });
  version = (await documents.documents.findOne({ _id: ids.draftId }))!.version;
  const deliver = runtime.deliver.bind(runtime);
  runtime.deliver = async (...args) => {
    await deliver(...args);
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
} else {
  const start = runtime.start.bind(runtime);
  runtime.start = async (...args) => {
    if (mode === 'before-start') process.kill(process.pid, 'SIGKILL');
    const started = await start(...args);
    process.kill(process.pid, 'SIGKILL');
    return started;
  };
}
await documents.submit(ids.author, ids.draftId, { data: NOTE_DATA, signatureName: ids.author.name, expectedVersion: version });
process.stdout.write('SURVIVED\n');
process.exit(1);
