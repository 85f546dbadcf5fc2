/**
 * One process per data directory: the store caches index definitions in memory, so a second
 * process writing the same directory would skip index entries. `<dir>/store.lock` holds the
 * owner's pid; a lock whose process is gone (a crash, kill -9) is taken over. Best effort: pids
 * are only meaningful within one host and pid namespace.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DirectoryLock {
  private constructor(private readonly path: string) {}

  static async acquire(dir: string): Promise<DirectoryLock> {
    const path = join(dir, 'store.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return new DirectoryLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        const who = owner === process.pid ? 'this process (open it once and share the store)' : `process ${owner}`;
        throw new StoreError(`the data directory ${dir} is already in use by ${who}`);
      }
      await rm(path, { force: true }); // left by a process that is gone
    }
    throw new StoreError(`could not lock the data directory ${dir}`);
  }

  async release(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
