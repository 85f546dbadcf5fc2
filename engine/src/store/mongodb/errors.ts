/** Driver and server errors turned into the store's typed errors, so callers never see driver errors. */
import { MongoBulkWriteError, MongoInvalidArgumentError, MongoServerError } from 'mongodb';
import { DuplicateKeyError, InvalidQueryError, StoreError } from '../errors.js';

const DUPLICATE_KEY = new Set([11000, 11001]);
/** Server codes that mean "the request is malformed", not "the server failed". */
const BAD_REQUEST = new Set([
  2, // BadValue
  9, // FailedToParse
  14, // TypeMismatch
  28, // PathNotViable
  40, // ConflictingUpdateOperators
  52, // DollarPrefixedFieldName
  55, // InvalidDBRef
  56, // EmptyFieldName
  57, // DottedFieldName
  66, // ImmutableField
  67, // CannotCreateIndex
  73, // InvalidNamespace
  85, // IndexOptionsConflict
  86, // IndexKeySpecsConflict
  168, // InvalidPipelineOperator
  197, // InvalidIndexSpecificationOption
]);

function duplicateKey(error: { message: string; keyValue?: Record<string, unknown>; errInfo?: any }, collection: string): DuplicateKeyError {
  const index = /index: (\S+)/.exec(error.message)?.[1] ?? 'unknown';
  return new DuplicateKeyError(collection, index, error.keyValue ?? {});
}

export function toStoreError(error: unknown, collection: string): Error {
  if (error instanceof StoreError) return error;
  if (error instanceof MongoBulkWriteError) {
    const errors: any = error.writeErrors;
    const first = Array.isArray(errors) ? errors[0] : errors;
    if (first && DUPLICATE_KEY.has(first.code)) {
      return duplicateKey({ message: first.errmsg ?? error.message, keyValue: first.err?.keyValue }, collection);
    }
  }
  if (error instanceof MongoServerError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    if (DUPLICATE_KEY.has(code)) return duplicateKey(error, collection);
    // Five-digit codes are assertion locations raised while parsing queries and pipelines.
    if (BAD_REQUEST.has(code) || code >= 10000) return new InvalidQueryError(error.message);
  }
  if (error instanceof MongoInvalidArgumentError) return new InvalidQueryError(error.message);
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(`mongodb: ${message}`, { cause: error });
}

/** Runs a driver call, translating whatever it throws. */
export async function translating<R>(collection: string, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (error) {
    throw toStoreError(error, collection);
  }
}
