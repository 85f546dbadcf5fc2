/** The documents the crash writer inserts, so the parent can check each one's content. */
import type { Doc } from '../../src/store/types.js';

export const CRASH_COLLECTION = 'crash';
export const CRASH_TOTAL = 1000;

export function crashDocument(seq: number): Doc {
  return {
    _id: `doc-${String(seq).padStart(4, '0')}`,
    seq,
    group: `g${seq % 10}`,
    at: new Date(Date.UTC(2024, 0, 1) + seq * 60_000),
    payload: `${'payload-'.repeat(20)}${seq}`,
    nested: { list: [seq, seq * 2, { deep: String(seq) }], flag: seq % 2 === 0 },
  };
}
