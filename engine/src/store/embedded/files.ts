/**
 * File bytes on local disk: `<dir>/files/<last two id chars>/<id>`. A write streams into
 * `<dir>/files/tmp/<id>.part`, is fsynced, then renamed into place (and the directory fsynced),
 * so a file is either complete or absent. Paths are built from generated ids only.
 */
import { constants, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileNotFoundError, InvalidQueryError } from '../errors.js';
import type { BlobStore, ByteLimit } from '../file-area.js';
import { isGeneratedId } from '../ids.js';

/** fsync through a new descriptor: on Linux it flushes the file's data whichever descriptor wrote it. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class DiskBlobs implements BlobStore {
  private readonly tmp: string;

  constructor(private readonly root: string) {
    this.tmp = join(root, 'tmp');
  }

  /** Creates the folders and removes partial files a crash left behind. */
  async init(): Promise<void> {
    await mkdir(this.tmp, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.tmp)) await rm(join(this.tmp, name), { force: true });
  }

  private pathOf(id: string): { dir: string; file: string } {
    if (!isGeneratedId(id)) throw new InvalidQueryError('invalid file id');
    const dir = join(this.root, id.slice(-2));
    return { dir, file: join(dir, id) };
  }

  async write(id: string, content: Readable, limit: ByteLimit): Promise<void> {
    const { dir, file } = this.pathOf(id);
    const partial = join(this.tmp, `${id}.part`);
    try {
      await pipeline(content, limit, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await syncFile(partial);
      const created = await mkdir(dir, { recursive: true, mode: 0o700 });
      if (created) await syncDirectory(this.root);
      await rename(partial, file);
      await syncDirectory(dir);
      await syncDirectory(this.tmp);
    } catch (error) {
      await rm(partial, { force: true });
      await rm(file, { force: true });
      throw error;
    }
  }

  async read(id: string): Promise<Readable> {
    const { file } = this.pathOf(id);
    try {
      const handle = await open(file, 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotFoundError(id);
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    const { dir, file } = this.pathOf(id);
    await rm(file, { force: true });
    await syncDirectory(dir).catch(() => undefined);
  }

  async clear(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
    await this.init();
  }
}
