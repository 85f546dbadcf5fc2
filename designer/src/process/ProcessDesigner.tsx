/**
 * The process designer: bpmn-js's modeler with its properties panel and the `wf:` group
 * (wf-properties-provider.ts). Opens any published version, validates with the server's publish
 * checks (bpmnlint and the runtime's own) and marks each problem on its element, publishes a new
 * version, and colours what changed since the previous version. Loaded only on this screen.
 */
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import { wfModdleDescriptor } from '../../../engine/src/bpmn/moddle-extension';
import { FormError } from '../../../runtime-ui/src/app/FormError';
import type { CheckResult, Problem } from '../app/definitions';
import { definitionsApi } from '../app/definitions';
import { PublishPanel } from '../app/PublishPanel';
import { useDefinition, VersionPicker } from '../app/useDefinition';
import { diffProcesses, type ProcessDiff } from './process-diff';
import { wfPropertiesProviderModule } from './wf-properties-provider';
import './process-designer.css';

interface ProcessContent {
  xml: string;
  [more: string]: unknown;
}

const PROBLEM = 'wf-problem';
const DIFF_MARKERS = { added: 'wf-diff-added', changed: 'wf-diff-changed' } as const;

export default function ProcessDesigner({ definitionKey }: { definitionKey: string }) {
  const loaded = useDefinition<ProcessContent>('process', definitionKey);
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<Modeler | null>(null);
  const marked = useRef<string[]>([]);
  const [importNote, setImportNote] = useState<{ severity: 'success' | 'warning' | 'error'; text: string } | null>(null);
  const [diff, setDiff] = useState<ProcessDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [unplaced, setUnplaced] = useState<Problem[]>([]);

  useEffect(() => {
    const modeler = new Modeler({
      container: canvasRef.current!,
      keyboard: { bindTo: document },
      propertiesPanel: { parent: panelRef.current! },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, wfPropertiesProviderModule],
      moddleExtensions: { wf: wfModdleDescriptor },
    } as any);
    modelerRef.current = modeler;
    return () => modeler.destroy();
  }, []);

  const service = <T = any,>(name: string): T => modelerRef.current!.get<T>(name);

  const clearMarks = () => {
    const canvas = service('canvas');
    const registry = service('elementRegistry');
    for (const id of marked.current) {
      if (!registry.get(id)) continue;
      canvas.removeMarker(id, PROBLEM);
      canvas.removeMarker(id, DIFF_MARKERS.added);
      canvas.removeMarker(id, DIFF_MARKERS.changed);
    }
    service('overlays').remove({ type: PROBLEM });
    marked.current = [];
    setUnplaced([]);
  };

  const importXml = async (xml: string, source: string) => {
    if (!modelerRef.current) return;
    clearMarks();
    setDiff(null);
    try {
      const { warnings } = await modelerRef.current.importXML(xml);
      service('canvas').zoom('fit-viewport');
      setImportNote(warnings.length === 0
        ? { severity: 'success', text: `Opened ${source} without warnings.` }
        : { severity: 'warning', text: `Opened ${source} with ${warnings.length} warning(s): ${warnings.map((w: any) => w.message).slice(0, 5).join('; ')}` });
    } catch (caught) {
      setImportNote({ severity: 'error', text: `${source} cannot be opened: ${(caught as Error).message}` });
    }
  };

  const definition = loaded.definition;
  useEffect(() => {
    if (definition) void importXml(definition.content.xml, `version ${definition.version}`);
  }, [definition]);

  const currentXml = async () => (await modelerRef.current!.saveXML({ format: true })).xml!;

  /** Marks each problem on the element it names; the others are listed below the diagram. */
  const showProblems = (result: CheckResult) => {
    clearMarks();
    const registry = service('elementRegistry');
    const rest: Problem[] = [];
    const byElement = new Map<string, Problem[]>();
    for (const problem of result.errors) {
      const id = problem.element ?? problem.path;
      if (registry.get(id)) byElement.set(id, [...(byElement.get(id) ?? []), problem]);
      else rest.push(problem);
    }
    for (const [id, problems] of byElement) {
      service('canvas').addMarker(id, PROBLEM);
      const badge = document.createElement('div');
      badge.className = 'wf-problem-badge';
      badge.setAttribute('role', 'img');
      badge.setAttribute('aria-label', `Problem on ${id}: ${problems.map((p) => p.message).join(' ')}`);
      badge.title = problems.map((p) => p.message).join('\n');
      badge.textContent = String(problems.length);
      service('overlays').add(id, PROBLEM, { position: { top: -10, right: 10 }, html: badge });
      marked.current.push(id);
    }
    setUnplaced(rest);
  };

  const compare = async () => {
    if (!definition) return;
    setError(null);
    try {
      if (definition.version === 1) {
        setDiff({ added: [], removed: [], changed: [] });
        return;
      }
      const previous = await definitionsApi.version<ProcessContent>('process', definitionKey, definition.version - 1);
      const moddle = service('moddle');
      const [older, newer] = await Promise.all([moddle.fromXML(previous.content.xml), moddle.fromXML(await currentXml())]);
      const found = diffProcesses(older.rootElement, newer.rootElement);
      clearMarks();
      const registry = service('elementRegistry');
      for (const [list, marker] of [[found.added, DIFF_MARKERS.added], [found.changed, DIFF_MARKERS.changed]] as const) {
        for (const id of list) {
          if (!registry.get(id)) continue;
          service('canvas').addMarker(id, marker);
          marked.current.push(id);
        }
      }
      setDiff(found);
    } catch (caught) {
      setError(caught);
    }
  };

  /** Selects an element by id or name and brings it into view (keyboard users, long diagrams). */
  const [findText, setFindText] = useState('');
  const [findError, setFindError] = useState<string | null>(null);
  const selectElement = (wanted: string) => {
    const registry = service('elementRegistry');
    const text = wanted.trim();
    const element = registry.get(text) ?? registry.find((e: any) => !e.labelTarget && (e.businessObject?.name ?? '').toLowerCase() === text.toLowerCase());
    if (!element) {
      setFindError(`No element with the id or name "${text}"`);
      return;
    }
    setFindError(null);
    service('canvas').zoom(1);
    service('canvas').scrollToElement(element);
    service('selection').select(element);
  };

  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) await importXml(await file.text(), file.name);
    event.target.value = '';
  };

  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Process: {definitionKey}</Typography>
      <FormError error={loaded.error ?? error} />
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
        {definition && <VersionPicker versions={loaded.versions} value={definition.version} onChange={(v) => void loaded.open(v)} />}
        <Button variant="outlined" component="label">
          Open a BPMN file…
          <input type="file" accept=".bpmn,.xml,application/xml,text/xml" hidden onChange={(e) => void openFile(e)} aria-label="BPMN file to open" />
        </Button>
        <Button variant="outlined" onClick={() => void compare()} disabled={!definition}>Compare with previous version</Button>
        <Box component="form" onSubmit={(e) => { e.preventDefault(); selectElement(findText); }} sx={{ display: 'flex', gap: 1 }}>
          <TextField label="Element id or name" value={findText} onChange={(e) => setFindText(e.target.value)} error={!!findError} helperText={findError ?? undefined} />
          <Button type="submit" variant="outlined">Select</Button>
        </Box>
      </Box>
      {importNote && <Alert severity={importNote.severity} role="status" sx={{ mb: 1 }}>{importNote.text}</Alert>}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 340px' }, gap: 1, height: { xs: 'auto', md: '65vh' } }}>
        <Box ref={canvasRef} className="wf-canvas" aria-label="Diagram" role="application" sx={{ border: 1, borderColor: 'divider', bgcolor: 'background.paper', minHeight: 420 }} />
        <Box ref={panelRef} className="wf-properties" aria-label="Properties" component="aside" sx={{ border: 1, borderColor: 'divider', bgcolor: 'background.paper', overflow: 'auto', minHeight: 300 }} />
      </Box>
      {diff && (
        <Box component="section" aria-labelledby="process-diff-heading" sx={{ my: 1 }}>
          <Typography id="process-diff-heading" variant="h6" component="h2">Changes since version {(definition?.version ?? 1) - 1 || '–'}</Typography>
          <ul aria-label="Element changes">
            <li><span className="wf-swatch wf-swatch-added" /> Added: {diff.added.join(', ') || 'none'}</li>
            <li><span className="wf-swatch wf-swatch-changed" /> Changed: {diff.changed.join(', ') || 'none'}</li>
            <li>Removed: {diff.removed.join(', ') || 'none'}</li>
          </ul>
        </Box>
      )}
      {unplaced.length > 0 && (
        <Alert severity="error" sx={{ my: 1 }}>Problems not tied to one element: {unplaced.map((p) => `${p.path}: ${p.message}`).join('; ')}</Alert>
      )}
      {definition && (
        <PublishPanel
          kind="process" definitionKey={definitionKey}
          content={async () => ({ ...definition.content, xml: await currentXml() })}
          onChecked={showProblems}
          onPublished={(d) => void loaded.open(d.version)}
        />
      )}
    </>
  );
}
