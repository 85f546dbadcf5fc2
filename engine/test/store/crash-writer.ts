/**
 * Child process of crash.test.ts: inserts the crash documents into the embedded store in
 * `process.argv[2]` and prints `ack <_id>` for every insert whose promise resolved. The parent
 * kills it with SIGKILL part-way through.
 */
import { openEmbeddedStore } from '../../src/store/embedded/index.js';
import { CRASH_COLLECTION, CRASH_TOTAL, crashDocument } from './crash-fixture.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-writer.ts <dir>');

const store = await openEmbeddedStore({ dir });
const collection = store.collection(CRASH_COLLECTION);
await collection.createIndex({ key: { seq: 1 }, unique: true });
await collection.createIndex({ key: { group: 1 } });
// stdout is a pipe: writes are synchronous on Linux, so a printed ack reaches the parent even if we are killed right after.
process.stdout.write('ready\n');

async function insert(seq: number): Promise<void> {
  const { insertedId } = await collection.insertOne(crashDocument(seq));
  process.stdout.write(`ack ${insertedId}\n`);
}

let seq = 0;
while (seq < CRASH_TOTAL) {
  if (seq % 20 === 10) {
    // a few concurrent writers sharing commits
    const batch = Array.from({ length: Math.min(8, CRASH_TOTAL - seq) }, (_, i) => seq + i);
    await Promise.all(batch.map(insert));
    seq += batch.length;
  } else {
    await insert(seq++);
  }
}
process.stdout.write('done\n');
await store.close();
