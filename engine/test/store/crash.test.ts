/**
 * Durability under kill -9: a child process inserts documents and prints each acknowledged id;
 * we SIGKILL it mid-stream, reopen the store and check every acknowledged document is there and
 * intact, and the store (documents and indexes) is readable and writable.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/index.js';
import { DuplicateKeyError } from '../../src/store/errors.js';
import { CRASH_COLLECTION, crashDocument } from './crash-fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const KILL_AFTER_ACKS = 300;

describe('embedded store survives kill -9', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write', async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-crash-'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.ts'), dir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })));

    const acked: string[] = [];
    let killed = false;
    for await (const line of createInterface({ input: child.stdout })) {
      if (!line.startsWith('ack ')) continue;
      acked.push(line.slice(4));
      if (!killed && acked.length >= KILL_AFTER_ACKS) {
        killed = child.kill('SIGKILL');
      }
    }
    const { signal } = await exited;
    expect(stderr).toBe('');
    expect(signal, 'the writer was killed before it finished').toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    const store = await openEmbeddedStore({ dir });
    try {
      const collection = store.collection(CRASH_COLLECTION);
      const all = await collection.find({});
      console.log(`crash test: ${acked.length} writes acknowledged before SIGKILL, ${all.length} documents found after reopening`);
      expect(all.length).toBeGreaterThanOrEqual(acked.length);
      const byId = new Map(all.map((doc) => [doc._id, doc]));
      for (const id of acked) {
        const seq = Number(id.slice(4));
        expect(byId.get(id), id).toEqual(crashDocument(seq));
      }
      // every stored document is intact (also those written but not yet acknowledged)
      for (const doc of all) expect(doc).toEqual(crashDocument(doc.seq));
      // the indexes answer like a scan and still enforce uniqueness
      const last = crashDocument(Number(acked[acked.length - 1].slice(4)));
      expect(await collection.findOne({ seq: last.seq })).toEqual(last);
      const group = await collection.find({ group: 'g3' });
      expect(group.map((d) => d._id).sort()).toEqual(all.filter((d) => d.group === 'g3').map((d) => d._id).sort());
      expect(await collection.countDocuments({ group: { $in: ['g1', 'g2'] } })).toBe(all.filter((d) => ['g1', 'g2'].includes(d.group)).length);
      await expect(collection.insertOne({ ...crashDocument(last.seq), _id: 'again' })).rejects.toBeInstanceOf(DuplicateKeyError);
      // and it takes new writes
      await collection.insertOne({ _id: 'after-crash', seq: -1 });
      expect(await collection.findOne({ seq: -1 })).toEqual({ _id: 'after-crash', seq: -1 });
    } finally {
      await store.close();
    }
  });
});
