/**
 * Client-side validation with exactly the server's rules: the engine's FormValidator (same ajv
 * set-up, same draft/submit modes, same messages) bundled into the app. The server stays the
 * authority; this makes the feedback instant.
 */
import type { ErrorObject } from 'ajv';
import { FormValidator, type ValidationMode } from '../../../engine/src/documents/form-validator.js';
import type { FieldError } from '../api/client.js';

const validator = new FormValidator();

/** Problems with `data` under the form version's schema, each at a JSON pointer into the data. */
export function validateForm(cacheKey: string, schema: object, data: unknown, mode: ValidationMode): FieldError[] {
  return validator.validate(cacheKey, schema, data, mode);
}

/** A pointer into the data (`/items/0/cost`) as a JSON Forms path (`items.0.cost`). */
export function pointerToPath(pointer: string): string {
  return pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/** Field errors in the shape JSON Forms shows inline under each control (its `additionalErrors`). */
export function toInlineErrors(errors: FieldError[]): ErrorObject[] {
  return errors.map((e) => ({ instancePath: e.path, keyword: 'server', message: e.message, params: {}, schemaPath: '' }));
}
