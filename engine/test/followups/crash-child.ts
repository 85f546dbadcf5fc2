/**
 * Child process of the follow-up crash test: seeds a draft note, prints its ids, then submits it
 * and kills itself with SIGKILL at a hook in the after-work: `before-start` as the process is
 * about to start (the submit committed, none of its after-work ran), `after-start` right after
 * the instance's start committed (the rest of the after-work did not run).
 */
import { NOTE_DATA, openHarness, seedNote } from './setup.js';

const [dir, mode] = process.argv.slice(2);
const h = await openHarness(dir);
const ids = await seedNote(h);
process.stdout.write(`IDS ${JSON.stringify(ids)}\n`);
const { runtime, documents } = h.engine.services;
const start = runtime.start.bind(runtime);
runtime.start = async (...args) => {
  if (mode === 'before-start') process.kill(process.pid, 'SIGKILL');
  const started = await start(...args);
  process.kill(process.pid, 'SIGKILL');
  return started;
};
await documents.submit(ids.author, ids.draftId, { data: NOTE_DATA, signatureName: ids.author.name, expectedVersion: ids.version });
process.stdout.write('SURVIVED\n');
process.exit(1);
