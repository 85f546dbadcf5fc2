/** Document and file ids: ObjectId-shaped 24-hex strings, the same in both adapters. */
import { ObjectId } from 'mongodb';

export function newId(): string {
  return new ObjectId().toHexString();
}

export function isGeneratedId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);
}
