/** The store the definitions tests run on: the real embedded store in a fresh temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

export async function openTestStore(): Promise<{ store: Store; close(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'definitions-store-'));
  const store = await openStore({ dataDir });
  let closed = false;
  return {
    store,
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
