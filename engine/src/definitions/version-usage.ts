/**
 * What still runs on older versions of a definition, for whoever publishes a new one: the
 * documents in progress (drafts, never submitted or reopened) on older versions of a form, and
 * the running instances on older versions of a process. Both stay on their version.
 */
import type { Collection, Doc } from '../store/types.js';
import type { DefinitionService } from './service.js';

/** At most this many records are listed (the counts are always complete). */
export const USAGE_LIST_LIMIT = 1000;

export interface VersionUsage<T> {
  key: string;
  latestVersion: number;
  /** Versions below this one are counted and listed (default: the latest). */
  olderThan: number;
  /** Records on a version below `olderThan`. */
  count: number;
  /** Records by version, every version that has any (the latest too). */
  versions: { version: number; count: number }[];
  items: T[];
  truncated: boolean;
}

export interface DocumentUsage { _id: string; caseId: string; formVersion: number; status: string; createdAt: Date; updatedAt: Date }
export interface InstanceUsage { _id: string; processVersion: number; caseId?: string; documentId?: string; waiting: string[]; startedAt: Date; updatedAt: Date }

export class VersionUsageQueries {
  constructor(
    private readonly definitions: DefinitionService,
    private readonly documents: Collection<Doc>,
    private readonly instances: Collection<Doc>,
  ) {}

  /** Documents of a form still in progress (stage draft) on versions older than `olderThan`. */
  async formDocuments(key: string, olderThan?: number): Promise<VersionUsage<DocumentUsage>> {
    const usage = await this.usage('form', key, olderThan, this.documents, { form: key, stage: 'draft' }, 'formVersion');
    return { ...usage, items: usage.items.map((d) => ({
      _id: d._id, caseId: d.caseId, formVersion: d.formVersion, status: d.status, createdAt: d.createdAt, updatedAt: d.updatedAt,
    })) };
  }

  /** Running instances of a process on versions older than `olderThan`. */
  async processInstances(key: string, olderThan?: number): Promise<VersionUsage<InstanceUsage>> {
    const usage = await this.usage('process', key, olderThan, this.instances, { processKey: key, status: 'running' }, 'processVersion');
    return { ...usage, items: usage.items.map((i) => ({
      _id: i._id, processVersion: i.processVersion, ...(i.caseId ? { caseId: i.caseId } : {}), ...(i.documentId ? { documentId: i.documentId } : {}),
      waiting: (i.waiting ?? []).map((w: { activityId: string }) => w.activityId), startedAt: i.startedAt, updatedAt: i.updatedAt,
    })) };
  }

  private async usage(kind: 'form' | 'process', key: string, olderThan: number | undefined, collection: Collection<Doc>, filter: Doc, versionField: string) {
    const latestVersion = (await this.definitions.latest(kind, key)).version;
    const below = olderThan ?? latestVersion;
    const versions = await collection.aggregate<{ _id: number; count: number }>([
      { $match: filter }, { $group: { _id: `$${versionField}`, count: { $sum: 1 } } }, { $sort: { _id: 1 } },
    ]);
    const older = { ...filter, [versionField]: { $lt: below } };
    const items = await collection.find(older, { sort: { [versionField]: 1, updatedAt: 1 }, limit: USAGE_LIST_LIMIT + 1, projection: { state: 0, data: 0, variables: 0 } });
    return {
      key, latestVersion, olderThan: below,
      count: versions.filter((v) => v._id < below).reduce((sum, v) => sum + v.count, 0),
      versions: versions.map((v) => ({ version: v._id, count: v.count })),
      items: items.slice(0, USAGE_LIST_LIMIT) as Doc[],
      truncated: items.length > USAGE_LIST_LIMIT,
    };
  }
}
