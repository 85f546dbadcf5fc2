/**
 * Leases in the store, so that with several engine nodes on one store each piece of
 * scheduled work runs once: the first node to write the lease owns it until it expires.
 */
import type { Clock } from '../clock.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Collection, Store } from '../store/types.js';

interface LeaseRecord {
  _id: string;
  owner: string;
  until: Date;
  done: boolean;
}

export class Leases {
  private readonly leases: Collection<LeaseRecord>;

  constructor(store: Store, private readonly owner: string, private readonly clock: Clock) {
    this.leases = store.collection<LeaseRecord>('leases');
  }

  /** Takes the lease named `key` for `ms`; false when another node holds it or it is done. */
  async acquire(key: string, ms: number): Promise<boolean> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + ms);
    try {
      await this.leases.insertOne({ _id: key, owner: this.owner, until, done: false });
      return true;
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
    }
    // An expired lease (its owner died mid-work) may be taken over.
    const taken = await this.leases.updateOne({ _id: key, done: false, until: { $lt: now } }, { $set: { owner: this.owner, until } });
    return taken.modifiedCount === 1;
  }

  /** Marks the work done, so the lease is never taken again. */
  async complete(key: string): Promise<void> {
    await this.leases.updateOne({ _id: key, owner: this.owner }, { $set: { done: true } });
  }

  /** Gives the lease up early (the work failed and may be retried by anyone). */
  async release(key: string): Promise<void> {
    await this.leases.deleteOne({ _id: key, owner: this.owner, done: false });
  }
}
