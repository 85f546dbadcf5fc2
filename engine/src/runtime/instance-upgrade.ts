/**
 * Brings instances saved by earlier versions of the runtime to the current shape, once per
 * store: history moves from an array inside the instance to its own collection, and engine
 * state becomes JSON text. Running instances carry on where they were.
 */
import type { Collection, Store } from '../store/types.js';
import { historyRecord, type HistoryRecord, type InstanceRecord } from './instance-record.js';

const MARKER = 'instances:history-collection';

export async function upgradeLegacyInstances(store: Store, instances: Collection<InstanceRecord>, history: Collection<HistoryRecord>): Promise<number> {
  const migrations = store.collection('migrations');
  if (await migrations.findOne({ _id: MARKER })) return 0;
  const legacy = (await instances.find({ history: { $exists: true } })) as (InstanceRecord & { history?: unknown; state: unknown })[];
  for (const doc of legacy) {
    const events = Array.isArray(doc.history) ? doc.history : [];
    const state = doc.state === null || typeof doc.state === 'string' ? doc.state : JSON.stringify(doc.state);
    await store.writeAtomically([
      {
        collection: instances.name,
        updateOne: { filter: { _id: doc._id, version: doc.version }, update: { $set: { state }, $unset: { history: '' } }, mustMatch: true },
      },
      // Every earlier step's events as one record before the first step saved from now on.
      { collection: history.name, insertOne: { document: historyRecord(doc._id, 0, events) } },
    ]);
  }
  await migrations.updateOne({ _id: MARKER }, { $set: { at: new Date(), upgraded: legacy.length } }, { upsert: true });
  return legacy.length;
}
