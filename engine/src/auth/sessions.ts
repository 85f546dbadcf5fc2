/**
 * Server-side sessions kept in the store (so any API node can serve any request).
 * The cookie carries a random token; the store keeps only its SHA-256. Each session also
 * has a CSRF token that browsers send back in a header on every state-changing request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Collection, Store } from '../store/types.js';
import type { Clock } from '../clock.js';

interface SessionRecord {
  _id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  csrfToken: string;
}

export interface OpenedSession {
  /** For the cookie. */
  token: string;
  /** For the x-csrf-token header. */
  csrfToken: string;
}

export interface LiveSession {
  userId: string;
  csrfToken: string;
}

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

const MINUTE = 60_000;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SessionStore {
  private readonly sessions: Collection<SessionRecord>;

  constructor(store: Store, private readonly policy: SessionPolicy, private readonly clock: Clock) {
    this.sessions = store.collection<SessionRecord>('sessions');
  }

  async init(): Promise<void> {
    await this.sessions.createIndex({ key: { userId: 1 } });
  }

  /** Opens a session and returns the token for the cookie and the CSRF token. */
  async open(userId: string): Promise<OpenedSession> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.sessions.insertOne({
      _id: digest(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.policy.absoluteHours * 60 * MINUTE),
      csrfToken,
    });
    return { token, csrfToken };
  }

  /** The user and CSRF token of a live session, refreshing its idle timer; null when unknown or expired. */
  async resolve(token: string): Promise<LiveSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const id = digest(token);
    const session = await this.sessions.findOne({ _id: id });
    // Sessions from before CSRF tokens existed end here: signing in again gives one.
    if (!session || !session.csrfToken) return null;
    const now = this.clock.now();
    const idleLimit = session.lastSeenAt.getTime() + this.policy.idleMinutes * MINUTE;
    if (now.getTime() >= session.expiresAt.getTime() || now.getTime() >= idleLimit) {
      await this.sessions.deleteOne({ _id: id });
      return null;
    }
    // Refresh at most once a minute so reads stay reads.
    if (now.getTime() - session.lastSeenAt.getTime() > MINUTE) {
      await this.sessions.updateOne({ _id: id }, { $set: { lastSeenAt: now } });
    }
    return { userId: session.userId, csrfToken: session.csrfToken };
  }

  async close(token: string): Promise<void> {
    await this.sessions.deleteOne({ _id: digest(token) });
  }

  /** Ends every session of a user (after a password change, deactivation), but `keepToken`'s. */
  async closeAllFor(userId: string, keepToken?: string): Promise<void> {
    await this.sessions.deleteMany(keepToken ? { userId, _id: { $ne: digest(keepToken) } } : { userId });
  }
}
