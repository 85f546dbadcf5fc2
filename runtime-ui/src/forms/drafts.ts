/**
 * The unsaved copy of a document a user is typing into, kept in localStorage so nothing is lost
 * when a save fails, the session times out or the tab closes. Keyed by document id and the
 * document version the changes were made on; cleared once the server has saved them.
 */
const PREFIX = 'cts-draft:';

export interface LocalCopy {
  documentId: string;
  /** The document version the changes were made on. */
  baseVersion: number;
  data: Record<string, any>;
  savedAt: string;
}

const keyOf = (documentId: string, version: number) => `${PREFIX}${documentId}@${version}`;

export function keepLocalCopy(documentId: string, baseVersion: number, data: Record<string, any>): void {
  try {
    clearLocalCopies(documentId);
    localStorage.setItem(keyOf(documentId, baseVersion), JSON.stringify({ documentId, baseVersion, data, savedAt: new Date().toISOString() }));
  } catch {
    /* storage full or disabled: the autosave to the server still runs */
  }
}

/** The newest unsaved copy of the document, if any. */
export function findLocalCopy(documentId: string): LocalCopy | null {
  let found: LocalCopy | null = null;
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(`${PREFIX}${documentId}@`)) continue;
    try {
      const copy = JSON.parse(localStorage.getItem(key) ?? '') as LocalCopy;
      if (!found || copy.baseVersion > found.baseVersion) found = copy;
    } catch {
      localStorage.removeItem(key);
    }
  }
  return found;
}

export function clearLocalCopies(documentId: string): void {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(`${PREFIX}${documentId}@`)) keys.push(key);
  }
  keys.forEach((k) => localStorage.removeItem(k));
}
