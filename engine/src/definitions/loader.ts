/**
 * Publishes the definitions kept as files: `*.form.json`, `*.case.json` and `*.lookup.json`
 * under the forms folder, `*.bpmn` and `*.template.json` (notification templates) under the
 * processes folder (sub-folders included). The key
 * is the file name without its suffix. Only content that differs from the latest version is
 * published, so loading the same files again publishes nothing.
 *
 * A broken file does not stop the others; it is listed under `failed` and the caller decides
 * whether that is fatal.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError, type FieldError } from '../errors.js';
import type { DefinitionService } from './service.js';
import type { DefinitionKind } from './types.js';

export interface LoadOptions {
  /** Folder of forms, case types and lookups; skipped when not given. */
  formsDir?: string;
  /** Folder of BPMN processes; skipped when not given. */
  processesDir?: string;
  /** Recorded as `publishedBy` on every version this load publishes (e.g. "system:startup"). */
  publishedBy: string;
}

export interface LoadReport {
  published: { kind: DefinitionKind; key: string; version: number; file: string }[];
  /** Files whose content equals the latest published version. */
  unchanged: number;
  failed: { file: string; errors: FieldError[] }[];
  /** Files published (or unchanged) with problems that do not block, e.g. bpmnlint warnings. */
  warnings: { file: string; warnings: FieldError[] }[];
}

interface DefinitionFile {
  file: string;
  kind: DefinitionKind;
  key: string;
}

const SUFFIXES: { suffix: string; kind: DefinitionKind; folder: 'forms' | 'processes' }[] = [
  { suffix: '.lookup.json', kind: 'lookup', folder: 'forms' },
  { suffix: '.case.json', kind: 'caseType', folder: 'forms' },
  { suffix: '.form.json', kind: 'form', folder: 'forms' },
  { suffix: '.bpmn', kind: 'process', folder: 'processes' },
  { suffix: '.template.json', kind: 'template', folder: 'processes' },
];

/** Lookups first, then case types, forms and processes, so what is referred to comes before what refers to it. */
const KIND_ORDER: DefinitionKind[] = ['lookup', 'template', 'caseType', 'form', 'process'];

export async function loadDefinitionsFromDisk(service: DefinitionService, options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = { published: [], unchanged: 0, failed: [], warnings: [] };
  const files: DefinitionFile[] = [];
  for (const [dir, folder] of [[options.formsDir, 'forms'], [options.processesDir, 'processes']] as const) {
    if (dir === undefined) continue;
    try {
      for (const file of await listFiles(dir)) {
        const match = SUFFIXES.find((s) => s.folder === folder && file.endsWith(s.suffix));
        if (match) files.push({ file, kind: match.kind, key: path.basename(file).slice(0, -match.suffix.length) });
      }
    } catch (error) {
      report.failed.push({ file: dir, errors: [{ path: '', message: `The folder cannot be read: ${(error as Error).message}` }] });
    }
  }
  files.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.file < b.file ? -1 : 1));

  const claimed = new Map<string, string>();
  for (const entry of files) {
    // Two files for one key would publish over each other on every start.
    const id = `${entry.kind}:${entry.key}`;
    const first = claimed.get(id);
    if (first) {
      report.failed.push({ file: entry.file, errors: [{ path: '', message: `The key "${entry.key}" is already taken by ${first}` }] });
      continue;
    }
    claimed.set(id, entry.file);
    await loadOne(service, entry, options.publishedBy, report);
  }
  return report;
}

async function loadOne(service: DefinitionService, { file, kind, key }: DefinitionFile, publishedBy: string, report: LoadReport): Promise<void> {
  let content: unknown;
  try {
    const text = stripBom(await readFile(file, 'utf8'));
    content = kind === 'process' ? { xml: text } : JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `The file is not valid JSON: ${error.message}` : `The file cannot be read: ${(error as Error).message}`;
    report.failed.push({ file, errors: [{ path: '', message: reason }] });
    return;
  }
  try {
    const { definition, created, warnings } = await service.publish(kind, key, content, publishedBy);
    if (created) report.published.push({ kind, key, version: definition.version, file });
    else report.unchanged++;
    if (warnings.length > 0) report.warnings.push({ file, warnings });
  } catch (error) {
    const errors = error instanceof EngineError && error.errors.length > 0
      ? error.errors
      : [{ path: '', message: (error as Error).message }];
    report.failed.push({ file, errors });
  }
}

/** Every file under `dir`, sorted, leaving out hidden entries and node_modules. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
