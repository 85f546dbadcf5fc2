/**
 * Fixed inboxes (department mailboxes and the like) named by `inbox:<name>` recipient rules.
 * They are configuration, read at start: an address that is not a plausible e-mail address is
 * refused then, naming the inbox, rather than failing a delivery at 3 a.m.
 */
import { readFile } from 'node:fs/promises';
import type { Recipient } from './recipients.js';

/** A conservative address check: one @, no spaces or angle brackets, a dotted domain. */
const ADDRESS = /^[^\s@<>(),;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 254 && ADDRESS.test(value);
}

export class InboxConfigError extends Error {
  override name = 'InboxConfigError';
}

/** `{ "inboxes": { "<name>": { "address": "...", "name": "..." } } }` */
export function parseInboxes(content: unknown, source: string): Map<string, Recipient> {
  const inboxes = (content as { inboxes?: unknown })?.inboxes;
  if (typeof inboxes !== 'object' || inboxes === null || Array.isArray(inboxes)) {
    throw new InboxConfigError(`${source}: expected { "inboxes": { "<name>": { "address": "...", "name": "..." } } }`);
  }
  const out = new Map<string, Recipient>();
  for (const [key, entry] of Object.entries(inboxes)) {
    const { address, name } = (entry ?? {}) as { address?: unknown; name?: unknown };
    if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new InboxConfigError(`${source}: inbox name "${key}" must be lower-case letters, digits and dashes`);
    if (!isEmailAddress(address)) throw new InboxConfigError(`${source}: inbox "${key}" has no valid address (got ${JSON.stringify(address)})`);
    out.set(key, { email: address, ...(typeof name === 'string' && name.trim() ? { name: name.trim() } : {}) });
  }
  return out;
}

export async function readInboxes(file: string): Promise<Map<string, Recipient>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  try {
    return parseInboxes(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof SyntaxError) throw new InboxConfigError(`${file}: not valid JSON (${error.message})`);
    throw error;
  }
}
