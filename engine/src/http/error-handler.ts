/**
 * Turns every failure into a JSON answer: `{ error, message, errors: [{ path, message }] }`.
 * Anything a client can cause is a 4xx naming the field; only our own faults are 500,
 * and those never carry a stack trace or internal detail.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EngineError, type FieldError } from '../errors.js';
import { DuplicateKeyError, InvalidQueryError } from '../store/errors.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
};

export interface ErrorBody {
  error: string;
  message: string;
  errors: FieldError[];
}

export function errorBody(status: number, message: string, errors: FieldError[] = []): ErrorBody {
  return { error: STATUS_TEXT[status] ?? 'Error', message, errors };
}

/** fastify's schema validation errors, as field errors with JSON pointers. */
function schemaFieldErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, any>;
    let path = v.instancePath;
    if (v.keyword === 'required') path += `/${params.missingProperty}`;
    if (v.keyword === 'additionalProperties') path += `/${params.additionalProperty}`;
    const message =
      v.keyword === 'required' ? 'is required'
      : v.keyword === 'additionalProperties' ? 'is not an accepted field'
      : v.message ?? 'is not valid';
    return { path: `${context === 'body' ? '' : `/${context}`}${path}`, message };
  });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof EngineError) {
      return reply.status(error.status).send(errorBody(error.status, error.message, error.errors));
    }
    if (error.validation) {
      return reply.status(400).send(errorBody(400, 'The request has fields that are missing or not valid', schemaFieldErrors(error)));
    }
    if (error instanceof DuplicateKeyError) {
      return reply.status(409).send(errorBody(409, 'A record with the same unique value already exists', Object.keys(error.key).map((k) => ({ path: `/${k.replace(/\./g, '/')}`, message: 'is already in use' }))));
    }
    if (error instanceof InvalidQueryError) {
      return reply.status(400).send(errorBody(400, error.message));
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // fastify's own client errors: malformed JSON, bad content type, body too large, poisoned keys.
      return reply.status(status).send(errorBody(status, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(errorBody(500, 'Something went wrong on our side. The error has been logged.'));
  });

}

/** 404 for an unknown route, unless `page` answers it (a browser app's own screen path). */
export function registerNotFound(app: FastifyInstance, page: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>) {
  app.setNotFoundHandler(async (request, reply) => {
    if (await page(request, reply)) return reply;
    return reply.status(404).send(errorBody(404, `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
