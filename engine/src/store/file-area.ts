/**
 * The file area over two parts both adapters provide: a metadata collection (`_files`) and a
 * blob store that keeps each file's bytes under its generated id. The caller's filename is only
 * ever metadata, so no name can reach a path or a GridFS key.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { FileNotFoundError, FileTooLargeError, InvalidQueryError } from './errors.js';
import { assertCount, cleanDocument } from './hygiene.js';
import { isGeneratedId, newId } from './ids.js';
import type { Collection, FileArea, Filter, PutFileOptions, StoredFile } from './types.js';

export const FILES_COLLECTION = '_files';

/** Where a file's bytes live. Implementations keep nothing of a write that fails. */
export interface BlobStore {
  /**
   * Streams `content` under `id` through `limit` and resolves once the bytes are durable.
   * On any error (FileTooLargeError from the limit included) the partial blob is removed.
   */
  write(id: string, content: Readable, limit: ByteLimit): Promise<void>;
  /** A stream of the blob; FileNotFoundError when there is none. */
  read(id: string): Promise<Readable>;
  /** Removes the blob; no error when it is already gone. */
  remove(id: string): Promise<void>;
  /** Removes every blob. */
  clear(): Promise<void>;
}

/** Counts bytes passing through and fails with FileTooLargeError once they pass `maxBytes`. */
export class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes: number | undefined) {
    super();
  }
  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.bytes += buffer.length;
    if (this.maxBytes !== undefined && this.bytes > this.maxBytes) {
      callback(new FileTooLargeError(this.maxBytes));
      return;
    }
    callback(null, buffer);
  }
}

const MAX_FILENAME = 1024;
const MAX_CONTENT_TYPE = 255;

function checkPutOptions(options: PutFileOptions): void {
  if (typeof options?.filename !== 'string' || options.filename.length === 0 || options.filename.length > MAX_FILENAME) {
    throw new InvalidQueryError(`a file needs a filename of 1-${MAX_FILENAME} characters`);
  }
  if (typeof options.contentType !== 'string' || options.contentType.length > MAX_CONTENT_TYPE) {
    throw new InvalidQueryError(`a file needs a contentType of at most ${MAX_CONTENT_TYPE} characters`);
  }
  assertCount(options.maxBytes, 'maxBytes');
}

export function createFileArea(meta: Collection<StoredFile>, blobs: BlobStore): FileArea {
  return {
    async put(content: Readable, options: PutFileOptions): Promise<StoredFile> {
      checkPutOptions(options);
      const metadata = cleanDocument(options.metadata ?? {});
      const id = newId();
      const limit = new ByteLimit(options.maxBytes);
      await blobs.write(id, content, limit);
      const file: StoredFile = {
        _id: id,
        filename: options.filename,
        contentType: options.contentType,
        length: limit.bytes,
        uploadedAt: new Date(),
        metadata,
      };
      try {
        await meta.insertOne(file);
      } catch (error) {
        await blobs.remove(id);
        throw error;
      }
      return structuredClone(file);
    },

    async info(id: string): Promise<StoredFile | null> {
      if (!isGeneratedId(id)) return null;
      return meta.findOne({ _id: id });
    },

    async find(filter: Filter): Promise<StoredFile[]> {
      return meta.find(filter ?? {});
    },

    async open(id: string): Promise<Readable> {
      if (!isGeneratedId(id) || !(await meta.findOne({ _id: id }, { projection: { _id: 1 } }))) {
        throw new FileNotFoundError(String(id));
      }
      return blobs.read(id);
    },

    async delete(id: string): Promise<void> {
      if (!isGeneratedId(id)) return;
      // Metadata first: once it is gone the file is unreachable, even if removing the bytes fails.
      await meta.deleteOne({ _id: id });
      await blobs.remove(id);
    },
  };
}
