/** Typed store errors; both adapters throw these so callers never see driver errors. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** A write would break a unique index. */
export class DuplicateKeyError extends StoreError {
  override name = 'DuplicateKeyError';
  constructor(
    readonly collection: string,
    readonly index: string,
    readonly key: Record<string, unknown>,
  ) {
    super(`duplicate key in ${collection} for index ${index}: ${JSON.stringify(key)}`);
  }
}

/** A `mustMatch` write of an atomic batch matched nothing: the batch was refused whole. */
export class WriteConflictError extends StoreError {
  override name = 'WriteConflictError';
  constructor(
    readonly collection: string,
    /** The write's position in the batch. */
    readonly index: number,
  ) {
    super(`write ${index} of the batch (${collection}) matched no document; nothing was stored`);
  }
}

/** A filter, update or pipeline the store cannot accept (unknown operator, bad shape). */
export class InvalidQueryError extends StoreError {
  override name = 'InvalidQueryError';
}

/** A file stream passed the configured size limit; nothing was kept. */
export class FileTooLargeError extends StoreError {
  override name = 'FileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`file is larger than the limit of ${maxBytes} bytes`);
  }
}

/** No stored file has that id. */
export class FileNotFoundError extends StoreError {
  override name = 'FileNotFoundError';
  constructor(readonly id: string) {
    super(`no stored file with id ${JSON.stringify(id)}`);
  }
}

/** The store was used after close(). */
export class StoreClosedError extends StoreError {
  override name = 'StoreClosedError';
  constructor() {
    super('the store is closed');
  }
}
