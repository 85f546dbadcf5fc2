/** File bytes in GridFS (bucket `blobs`), stored under the generated file id. */
import { GridFSBucket, type Db, type ObjectId } from 'mongodb';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileNotFoundError } from '../errors.js';
import type { BlobStore, ByteLimit } from '../file-area.js';
import { toStoreError } from './errors.js';

const BUCKET = 'blobs';

export class GridFsBlobs implements BlobStore {
  private readonly bucket: GridFSBucket;

  constructor(private readonly db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: BUCKET });
  }

  /** GridFS ids may be any value; the typings insist on ObjectId. */
  private static key(id: string): ObjectId {
    return id as unknown as ObjectId;
  }

  async write(id: string, content: Readable, limit: ByteLimit): Promise<void> {
    const upload = this.bucket.openUploadStreamWithId(GridFsBlobs.key(id), id);
    try {
      await pipeline(content, limit, upload);
    } catch (error) {
      await this.purge(id);
      throw toStoreError(error, `${BUCKET}.files`);
    }
  }

  /** Removes whatever part of a blob was written. */
  private async purge(id: string): Promise<void> {
    await this.db.collection(`${BUCKET}.chunks`).deleteMany({ files_id: id });
    await this.db.collection(`${BUCKET}.files`).deleteOne({ _id: GridFsBlobs.key(id) });
  }

  async read(id: string): Promise<Readable> {
    const found = await this.bucket.find({ _id: GridFsBlobs.key(id) }, { limit: 1 }).hasNext();
    if (!found) throw new FileNotFoundError(id);
    return this.bucket.openDownloadStream(GridFsBlobs.key(id));
  }

  async remove(id: string): Promise<void> {
    try {
      await this.purge(id);
    } catch (error) {
      throw toStoreError(error, `${BUCKET}.files`);
    }
  }

  async clear(): Promise<void> {
    await this.db.collection(`${BUCKET}.chunks`).deleteMany({});
    await this.db.collection(`${BUCKET}.files`).deleteMany({});
  }
}
