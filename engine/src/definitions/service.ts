/**
 * Published definitions (forms, case types, processes, lookups): versioned, validated before
 * they are stored, never changed afterwards.
 *
 * Stored in the `definitions` collection, one document per version, with a unique index on
 * kind + key + version. The content is stored as JSON text (`contentJson`): JSON Schemas hold
 * keys such as `$ref` and `$schema` that store field names may not start with.
 */
import { systemClock, type Clock } from '../clock.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../errors.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Collection, Store } from '../store/types.js';
import { contentHash, toPlainJson } from './canonical-hash.js';
import { collectFields, diffFields } from './form-diff.js';
import {
  DEFINITION_KINDS, KEY_PATTERN, isDefinitionKind, isFormKind,
  type CheckOutcome, type Definition, type DefinitionCheck, type DefinitionKind, type DefinitionSummary,
  type FormDiff, type PublishResult,
} from './types.js';
import { validateContent } from './validation.js';

export const DEFINITIONS_COLLECTION = 'definitions';

/** A version as stored: the content as JSON text. */
interface StoredDefinition extends Omit<Definition, 'content'> {
  contentJson: string;
}

/** Tries to store a new version; a publisher that loses a race for the number tries again this many times. */
const PUBLISH_ATTEMPTS = 3;

const KIND_WORDS: Record<DefinitionKind, string> = { form: 'form', caseType: 'case type', process: 'process', lookup: 'lookup', template: 'notification template', calendar: 'business calendar' };

export interface DefinitionServiceOptions {
  /** Time source for `publishedAt`; defaults to the system clock. */
  clock?: Clock;
}

export class DefinitionService {
  private readonly collection: Collection<StoredDefinition>;
  private readonly checks = new Map<DefinitionKind, DefinitionCheck[]>();
  private readonly clock: Clock;
  private indexesReady: Promise<void> | undefined;
  private readonly publishedListeners: ((definition: Definition) => Promise<void> | void)[] = [];
  /** The newest version number last seen per kind and key (see latestNumber). */
  private readonly newestSeen = new Map<string, number>();

  constructor(store: Store, options: DefinitionServiceOptions = {}) {
    this.collection = store.collection<StoredDefinition>(DEFINITIONS_COLLECTION);
    this.clock = options.clock ?? systemClock;
  }

  /** Creates the collection's indexes (publish also does so on first use). */
  init(): Promise<void> {
    return this.ensureIndexes();
  }

  /**
   * Adds a rule to the validation of one kind, run after the built-in checks pass (e.g. the
   * process runtime refusing script tasks). Returns a function that removes it again.
   */
  addCheck(kind: DefinitionKind, check: DefinitionCheck): () => void {
    assertKind(kind);
    const list = this.checks.get(kind) ?? [];
    list.push(check);
    this.checks.set(kind, list);
    return () => {
      const index = list.indexOf(check);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /** Called after a new version is stored on this node (e.g. to use a new business calendar at once). */
  onPublished(listener: (definition: Definition) => Promise<void> | void): void {
    this.publishedListeners.push(listener);
  }

  /**
   * Validates the content, then stores it as the next version. Refuses with a ValidationError
   * listing every problem (nothing stored). When the content equals the latest version's,
   * stores nothing and answers that version with `created: false`.
   */
  async publish(kind: DefinitionKind, key: string, content: unknown, publishedBy: string): Promise<PublishResult> {
    assertKind(kind);
    const requestProblems: FieldError[] = [];
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      requestProblems.push({
        path: 'key',
        message: `The key "${String(key)}" must be 2 to 64 characters: lowercase letters, digits and dashes, starting with a letter`,
      });
    }
    if (typeof publishedBy !== 'string' || publishedBy.trim() === '') {
      requestProblems.push({ path: 'publishedBy', message: 'Who publishes must be named' });
    }
    if (requestProblems.length > 0) throw new ValidationError(`The ${KIND_WORDS[kind]} cannot be published`, requestProblems);

    // Plain JSON from here on: what is validated, hashed and stored is exactly the same thing.
    let plain: unknown;
    try {
      plain = toPlainJson(content);
    } catch (error) {
      throw new ValidationError(`The ${KIND_WORDS[kind]} cannot be published`, [
        { path: '', message: `The content is not plain JSON: ${(error as Error).message}` },
      ]);
    }
    const { errors, warnings } = await this.validate(kind, key, plain);
    if (errors.length > 0) {
      const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
      throw new ValidationError(`The ${KIND_WORDS[kind]} "${key}" cannot be published: ${count}`, errors);
    }

    await this.ensureIndexes();
    const hash = contentHash(plain);
    for (let attempt = 1; ; attempt++) {
      const latest = await this.findLatest(kind, key);
      if (latest && latest.hash === hash) return { definition: latest, created: false, warnings };
      const version = (latest?.version ?? 0) + 1;
      const definition: Definition = {
        _id: `${kind}:${key}:${version}`,
        kind,
        key,
        version,
        content: plain,
        hash,
        publishedAt: this.clock.now(),
        publishedBy,
      };
      try {
        const { content: _content, ...fields } = definition;
        await this.collection.insertOne({ ...fields, contentJson: JSON.stringify(plain) });
        for (const listener of this.publishedListeners) await listener(definition);
        return { definition, created: true, warnings };
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
        // Someone else stored this version number first: look again (their content may be ours).
        if (attempt >= PUBLISH_ATTEMPTS) {
          throw new ConflictError(`The ${KIND_WORDS[kind]} "${key}" was being published by someone else at the same time; try again`);
        }
      }
    }
  }

  /** Runs the built-in validation, then the extra checks added for the kind. */
  async validate(kind: DefinitionKind, key: string, content: unknown): Promise<{ errors: FieldError[]; warnings: FieldError[] }> {
    assertKind(kind);
    const outcome = await validateContent(kind, content);
    const errors = [...outcome.errors];
    const warnings = [...outcome.warnings];
    if (errors.length === 0) {
      for (const check of this.checks.get(kind) ?? []) {
        const result: CheckOutcome = await check(content, { kind, key, model: outcome.model });
        if (Array.isArray(result)) {
          errors.push(...result);
        } else if (result) {
          errors.push(...(result.errors ?? []));
          warnings.push(...(result.warnings ?? []));
        }
      }
    }
    return { errors, warnings };
  }

  /** The newest version; NotFoundError when none was published. */
  async latest(kind: DefinitionKind, key: string): Promise<Definition> {
    assertKind(kind);
    const found = isKey(key) ? await this.findLatest(kind, key) : null;
    if (!found) throw new NotFoundError(`No ${KIND_WORDS[kind]} "${key}" has been published`);
    return found;
  }

  /** The newest version's number (its content is not read); NotFoundError when none was published. */
  async latestVersion(kind: DefinitionKind, key: string): Promise<number> {
    assertKind(kind);
    const version = isKey(key) ? await this.latestNumber(kind, key) : null;
    if (version === null) throw new NotFoundError(`No ${KIND_WORDS[kind]} "${key}" has been published`);
    return version;
  }

  /** One version; NotFoundError when there is no such version. */
  async get(kind: DefinitionKind, key: string, version: number): Promise<Definition> {
    assertKind(kind);
    const found = isKey(key) && Number.isInteger(version) && version >= 1
      ? await this.collection.findOne({ kind, key, version })
      : null;
    if (!found) throw new NotFoundError(`Version ${version} of the ${KIND_WORDS[kind]} "${key}" does not exist`);
    return fromStored(found);
  }

  /** Every version, oldest first, without content (fetch one with `get`); NotFoundError when none. */
  async versions(kind: DefinitionKind, key: string): Promise<DefinitionSummary[]> {
    assertKind(kind);
    const found = isKey(key)
      ? await this.collection.find({ kind, key }, { sort: { version: 1 }, projection: { contentJson: 0 } })
      : [];
    if (found.length === 0) throw new NotFoundError(`No ${KIND_WORDS[kind]} "${key}" has been published`);
    return found.map(({ contentJson: _contentJson, ...summary }) => summary);
  }

  /** The latest version (with content) of every key, of one kind or of all, ordered by kind and key. */
  async list(kind?: DefinitionKind): Promise<Definition[]> {
    if (kind !== undefined) assertKind(kind);
    // Definitions are few (tens to hundreds): read them in order and keep each key's first.
    const all = await this.collection.find(kind ? { kind } : {}, { sort: { kind: 1, key: 1, version: -1 } });
    const latest = new Map<string, Definition>();
    for (const stored of all) {
      const id = `${stored.kind}:${stored.key}`;
      if (!latest.has(id)) latest.set(id, fromStored(stored));
    }
    const order = (k: DefinitionKind): number => DEFINITION_KINDS.indexOf(k);
    return [...latest.values()].sort((a, b) => order(a.kind) - order(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Fields added, removed and changed from one version of a form or case type to another. */
  async diffForms(kind: DefinitionKind, key: string, fromVersion: number, toVersion: number): Promise<FormDiff> {
    assertKind(kind);
    if (!isFormKind(kind)) {
      throw new ValidationError('Only forms and case types can be compared field by field', [
        { path: 'kind', message: `"${kind}" has no fields to compare; use "form" or "caseType"` },
      ]);
    }
    const [from, to] = await Promise.all([this.get(kind, key, fromVersion), this.get(kind, key, toVersion)]);
    const fields = diffFields(collectFields(from.content.schema), collectFields(to.content.schema));
    return { kind, key, fromVersion, toVersion, ...fields };
  }

  private async findLatest(kind: DefinitionKind, key: string): Promise<Definition | null> {
    const version = await this.latestNumber(kind, key);
    const found = version === null ? null : await this.collection.findOne({ kind, key, version });
    return found && fromStored(found);
  }

  /**
   * The newest version's number, or null. Publishing numbers versions 1, 2, 3... and never
   * deletes one, so the number last seen here stays right unless a newer one exists, which (from
   * any node) is version + 1: one index lookup answers, instead of reading every version of the key.
   * (An emptied store is opened by a new engine, as `npm run gen -- --replace` does.)
   */
  private async latestNumber(kind: DefinitionKind, key: string): Promise<number | null> {
    const name = `${kind}:${key}`;
    const exists = async (v: number) => (await this.collection.findOne({ kind, key, version: v }, { projection: { _id: 1 } })) !== null;
    let version = this.newestSeen.get(name);
    if (version === undefined) {
      const found = await this.collection.findOne({ kind, key }, { sort: { version: -1 }, projection: { version: 1 } });
      if (!found) return null;
      version = found.version;
    }
    while (await exists(version + 1)) version++;
    this.newestSeen.set(name, version);
    return version;
  }

  private ensureIndexes(): Promise<void> {
    this.indexesReady ??= this.collection
      .createIndex({ key: { kind: 1, key: 1, version: 1 }, unique: true, name: 'kind_key_version' })
      .then(() => undefined, (error: unknown) => {
        this.indexesReady = undefined; // try again on the next publish
        throw error;
      });
    return this.indexesReady;
  }
}

function assertKind(kind: unknown): asserts kind is DefinitionKind {
  if (!isDefinitionKind(kind)) {
    throw new ValidationError(`"${String(kind)}" is not a kind of definition`, [
      { path: 'kind', message: `The kind must be one of: ${DEFINITION_KINDS.join(', ')}` },
    ]);
  }
}

function fromStored({ contentJson, ...fields }: StoredDefinition): Definition {
  return { ...fields, content: JSON.parse(contentJson) };
}

function isKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}
