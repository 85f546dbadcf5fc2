/** Validation of a lookup (a drop-down list): `{ title, items: [{ code, label, retired? }] }`. */
import type { FieldError } from '../errors.js';
import { isPlainObject, pointer } from '../json-pointer.js';

export function validateLookupContent(content: unknown): FieldError[] {
  if (!isPlainObject(content)) return [{ path: '', message: 'The content must be a JSON object with a title and items' }];
  const problems: FieldError[] = [];
  if (typeof content.title !== 'string' || content.title.trim() === '') {
    problems.push({ path: '/title', message: 'A title is required' });
  }
  if (!Array.isArray(content.items) || content.items.length === 0) {
    problems.push({ path: '/items', message: 'A list of items is required (at least one): [{ "code": "A", "label": "First choice" }]' });
    return problems;
  }
  const seen = new Map<string, number>();
  content.items.forEach((item: unknown, i: number) => {
    const at = pointer('/items', i);
    if (!isPlainObject(item)) {
      problems.push({ path: at, message: 'Each item must be a JSON object with a code and a label' });
      return;
    }
    if (typeof item.code !== 'string' || item.code.trim() === '') {
      problems.push({ path: pointer(at, 'code'), message: 'Each item needs a non-empty code' });
    } else if (seen.has(item.code)) {
      problems.push({ path: pointer(at, 'code'), message: `The code "${item.code}" is used twice (also by item ${seen.get(item.code)! + 1})` });
    } else {
      seen.set(item.code, i);
    }
    if (typeof item.label !== 'string' || item.label.trim() === '') {
      problems.push({ path: pointer(at, 'label'), message: 'Each item needs a non-empty label' });
    }
    if (item.retired !== undefined && typeof item.retired !== 'boolean') {
      problems.push({ path: pointer(at, 'retired'), message: '"retired" must be true or false' });
    }
  });
  return problems;
}
