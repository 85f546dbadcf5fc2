/** Loads every report definition module of a folder (files starting with `_` are helpers, not reports). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { definitionProblems, type ReportDefinition } from './report-definition.js';

const MODULE = /^[^_.][^/]*\.(ts|js|mjs)$/;

export async function loadReportDefinitions(dir: string): Promise<ReportDefinition[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // A compiled folder holds x.js beside nothing else; a source folder x.ts: never load one report twice.
  const files = names.filter((n) => MODULE.test(n) && !n.endsWith('.d.ts') && !n.endsWith('.test.ts')).sort();
  const definitions: ReportDefinition[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: unknown };
    const found = definitionProblems(module.default);
    if (found.length > 0) {
      problems.push(`${file}: ${found.join('; ')}`);
      continue;
    }
    const definition = module.default as ReportDefinition;
    const twin = definitions.find((d) => d.id === definition.id);
    if (twin) problems.push(`${file}: the id "${definition.id}" is used by another report`);
    else definitions.push(definition);
  }
  if (problems.length > 0) throw new Error(`Some report definitions in ${dir} are not valid:\n${problems.join('\n')}`);
  return definitions;
}
