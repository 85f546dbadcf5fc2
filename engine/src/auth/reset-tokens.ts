/**
 * Single-use, time-limited password reset tokens. The link carries a random token; the
 * store keeps only its SHA-256, so a copy of the database cannot be used to reset a password.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Collection, Store } from '../store/types.js';

interface ResetTokenRecord {
  _id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class ResetTokens {
  private readonly tokens: Collection<ResetTokenRecord>;

  constructor(store: Store, private readonly clock: Clock, private readonly validMinutes: number) {
    this.tokens = store.collection<ResetTokenRecord>('password_resets');
  }

  async init(): Promise<void> {
    await this.tokens.createIndex({ key: { userId: 1 } });
  }

  /** Issues a token for the user; earlier unused ones stop working, so only the newest link does. */
  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const now = this.clock.now();
    await this.tokens.updateMany({ userId, usedAt: { $exists: false } }, { $set: { usedAt: now } });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.validMinutes * 60_000);
    await this.tokens.insertOne({ _id: digest(token), userId, createdAt: now, expiresAt });
    return { token, expiresAt };
  }

  /** The user id a token may still reset, or null when unknown, used or expired. */
  async peek(token: string): Promise<string | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const record = await this.tokens.findOne({ _id: digest(token), usedAt: { $exists: false }, expiresAt: { $gt: this.clock.now() } });
    return record?.userId ?? null;
  }

  /** Marks the token used; false when another request used it first or it expired meanwhile. */
  async use(token: string): Promise<boolean> {
    if (!TOKEN_SHAPE.test(token)) return false;
    const now = this.clock.now();
    const { modifiedCount } = await this.tokens.updateOne(
      { _id: digest(token), usedAt: { $exists: false }, expiresAt: { $gt: now } },
      { $set: { usedAt: now } },
    );
    return modifiedCount === 1;
  }
}
