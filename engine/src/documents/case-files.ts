/**
 * Files attached to a case: streamed into the store's file area under the case's
 * access rules, with a size limit and a list of allowed types from configuration.
 */
import type { Readable } from 'node:stream';
import type { Principal } from '../auth/principal.js';
import { NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { FileTooLargeError } from '../store/errors.js';
import type { FileArea, StoredFile } from '../store/types.js';
import type { CaseService } from './case-service.js';

export interface UploadPolicy {
  maxBytes: number;
  allowedTypes: string[];
}

export interface CaseFile {
  id: string;
  caseId: string;
  name: string;
  description: string;
  contentType: string;
  size: number;
  uploadedAt: Date;
  uploadedBy: string;
}

/** Keeps only a plain file name: no folders, no control characters, at most 200 characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const printable = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f).join('');
  const cleaned = printable.replace(/["<>|:*?]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return cleaned || 'file';
}

function toCaseFile(file: StoredFile): CaseFile {
  return {
    id: file._id,
    caseId: file.metadata.caseId,
    name: file.filename,
    description: file.metadata.description ?? '',
    contentType: file.contentType,
    size: file.length,
    uploadedAt: file.uploadedAt,
    uploadedBy: file.metadata.uploadedBy,
  };
}

export class CaseFiles {
  constructor(
    private readonly files: FileArea,
    private readonly cases: CaseService,
    private readonly policy: UploadPolicy,
  ) {}

  async upload(
    principal: Principal,
    caseId: string,
    content: Readable,
    meta: { filename: string; contentType: string; description: string },
  ): Promise<CaseFile> {
    const caseRecord = await this.cases.get(principal, caseId).catch((error) => {
      content.resume();
      throw error;
    });
    await this.cases.assertMay(principal, caseRecord, 'uploadFile').catch((error) => {
      content.resume();
      throw error;
    });
    const contentType = meta.contentType.split(';')[0].trim().toLowerCase();
    if (!this.policy.allowedTypes.includes(contentType)) {
      content.resume(); // drain so the connection can answer
      throw new UnsupportedMediaTypeError(`Files of type ${contentType || 'unknown'} cannot be uploaded`, [
        { path: '/file', message: `allowed types are ${this.policy.allowedTypes.join(', ')}` },
      ]);
    }
    if (meta.description.length > 500) {
      content.resume();
      throw new ValidationError('The description is too long', [{ path: '/description', message: 'must be at most 500 characters' }]);
    }
    try {
      const stored = await this.files.put(content, {
        filename: safeFileName(meta.filename),
        contentType,
        maxBytes: this.policy.maxBytes,
        metadata: { caseId, description: meta.description.trim(), uploadedBy: principal.userId },
      });
      return toCaseFile(stored);
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        throw new PayloadTooLargeError('The file is too large', [{ path: '/file', message: `must be at most ${this.policy.maxBytes} bytes` }]);
      }
      throw error;
    }
  }

  async list(principal: Principal, caseId: string): Promise<CaseFile[]> {
    await this.cases.get(principal, caseId);
    const files = await this.files.find({ 'metadata.caseId': caseId });
    return files.map(toCaseFile).sort((a, b) => a.uploadedAt.getTime() - b.uploadedAt.getTime());
  }

  /** Opens a file for download if its case is visible to the principal; NotFound otherwise. */
  async open(principal: Principal, fileId: string): Promise<{ file: CaseFile; content: Readable }> {
    const info = await this.files.info(fileId);
    if (!info || typeof info.metadata.caseId !== 'string') throw new NotFoundError(`No file ${fileId}`);
    await this.cases.get(principal, info.metadata.caseId).catch(() => {
      throw new NotFoundError(`No file ${fileId}`);
    });
    return { file: toCaseFile(info), content: await this.files.open(fileId) };
  }
}
