/**
 * Errors the engine raises for requests it refuses. The HTTP layer maps each to a
 * status code and a JSON body; nothing here knows about HTTP.
 */

/** One problem with one field, named by its JSON pointer (RFC 6901) into the submitted data. */
export interface FieldError {
  path: string;
  message: string;
}

export class EngineError extends Error {
  override name = 'EngineError';
  /** HTTP status the API answers with. */
  readonly status: number = 400;
  constructor(message: string, readonly errors: FieldError[] = []) {
    super(message);
  }
}

/** The input is well formed but breaks a rule (a schema, a state). Nothing was stored. */
export class ValidationError extends EngineError {
  override name = 'ValidationError';
  override readonly status = 422;
}

/** The request is malformed (wrong shape or type). Nothing was stored. */
export class BadRequestError extends EngineError {
  override name = 'BadRequestError';
  override readonly status = 400;
}

/** The record changed or is in a state that forbids the action (read-only, already done, taken). */
export class ConflictError extends EngineError {
  override name = 'ConflictError';
  override readonly status = 409;
}

/** Nothing by that id, or nothing the caller may see: the two are indistinguishable on purpose. */
export class NotFoundError extends EngineError {
  override name = 'NotFoundError';
  override readonly status = 404;
}

export class UnauthorizedError extends EngineError {
  override name = 'UnauthorizedError';
  override readonly status = 401;
}

export class ForbiddenError extends EngineError {
  override name = 'ForbiddenError';
  override readonly status = 403;
}

export class PayloadTooLargeError extends EngineError {
  override name = 'PayloadTooLargeError';
  override readonly status = 413;
}

export class UnsupportedMediaTypeError extends EngineError {
  override name = 'UnsupportedMediaTypeError';
  override readonly status = 415;
}
