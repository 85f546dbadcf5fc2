/**
 * The form designer: the form as a tree of sections and fields, a palette to add fields, the
 * selected node's properties, a live JSON Forms preview and the raw JSON (schema and UI schema)
 * for power users; all five edit the same { schema, uischema }. Reorder by dragging a node onto
 * another, or with Alt+Arrow Up/Down on the selected node.
 */
import { useEffect, useState, type DragEvent, type KeyboardEvent } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { api } from '../../../runtime-ui/src/api/client';
import { FormError } from '../../../runtime-ui/src/app/FormError';
import { definitionsApi, type Definition } from '../app/definitions';
import { FormDiffPanel } from '../app/FormDiffPanel';
import { PublishPanel } from '../app/PublishPanel';
import { useDefinition, VersionPicker } from '../app/useDefinition';
import { addField, addSection, isSection, labelOf, moveNode, moveTo, nodeAt, PALETTE, removeNode, type FieldKind, type FormParts, type Json, type NodePath } from './form-model';
import { FieldProperties } from './FieldProperties';
import { FormPreview } from './FormPreview';
import { RawJsonView } from './RawJsonView';

interface FormContent extends FormParts {
  title: string;
  [more: string]: unknown;
}

export default function FormDesigner({ definitionKey }: { definitionKey: string }) {
  const loaded = useDefinition<FormContent>('form', definitionKey);
  const [content, setContent] = useState<FormContent | null>(null);
  const [selected, setSelected] = useState<NodePath>([]);
  const [view, setView] = useState<'preview' | 'json'>('preview');
  const [lookups, setLookups] = useState<Definition[]>([]);
  const [lookupKey, setLookupKey] = useState('');
  const [newTitle, setNewTitle] = useState('');
  const [dragged, setDragged] = useState<NodePath | null>(null);
  useEffect(() => {
    if (loaded.definition) {
      setContent(structuredClone(loaded.definition.content));
      setSelected([]);
    }
  }, [loaded.definition]);
  useEffect(() => {
    definitionsApi.list('lookup').then(setLookups, () => setLookups([]));
  }, []);

  if (!content) return <><Typography variant="h5" component="h1">Form: {definitionKey}</Typography><FormError error={loaded.error} /></>;
  const parts: FormParts = { schema: content.schema, uischema: content.uischema };
  const apply = (next: FormParts, path?: NodePath) => {
    setContent({ ...content, ...next });
    if (path) setSelected(path);
  };
  const selectedNode = nodeAt(parts.uischema, selected) ?? parts.uischema;
  const section = isSection(selectedNode) ? selected : selected.slice(0, -1);

  const add = (kind: FieldKind) => {
    const title = newTitle.trim() || PALETTE.find((p) => p.kind === kind)!.label;
    let lookup: { key: string; codes: string[] } | undefined;
    if (kind === 'lookup' || kind === 'multiChoice') {
      const chosen = lookups.find((l) => l.key === lookupKey);
      if (chosen) lookup = { key: chosen.key, codes: (chosen.content.items ?? []).filter((i: Json) => !i.retired).map((i: Json) => i.code) };
    }
    const { parts: next, path } = addField(parts, section, kind, title, lookup);
    apply(next, path);
    setNewTitle('');
  };

  const onTreeKey = (event: KeyboardEvent, path: NodePath) => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      const moved = moveNode(parts, path, event.key === 'ArrowUp' ? -1 : 1);
      apply(moved.parts, moved.path);
      requestAnimationFrame(() => document.getElementById(treeId(moved.path))?.focus());
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setSelected(path);
    }
  };
  const onDrop = (event: DragEvent, path: NodePath, node: Json) => {
    event.preventDefault();
    if (!dragged) return;
    // Onto a section: to its end; onto a field: just before it.
    const moved = moveTo(parts, dragged, path, isSection(node));
    apply(moved.parts, moved.path);
    setDragged(null);
  };

  const rows: { node: Json; path: NodePath }[] = [];
  const walk = (node: Json, path: NodePath) => {
    rows.push({ node, path });
    (node.elements ?? []).forEach((child: Json, i: number) => walk(child, [...path, i]));
  };
  walk(parts.uischema, []);

  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Form: {content.title ?? definitionKey}</Typography>
      <FormError error={loaded.error} />
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
        <VersionPicker versions={loaded.versions} value={loaded.definition!.version} onChange={(v) => void loaded.open(v)} />
        <TextField label="Form title" value={content.title ?? ''} onChange={(e) => setContent({ ...content, title: e.target.value })} sx={{ minWidth: 280 }} />
      </Box>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '220px 1fr 1fr' } }}>
        <Paper variant="outlined" component="section" aria-labelledby="palette-heading" sx={{ p: 1 }}>
          <Typography id="palette-heading" variant="subtitle1" component="h2">Palette</Typography>
          <Typography variant="body2" sx={{ mb: 1 }}>Adds to: {section.length === 0 ? 'the whole form (end)' : labelOf(parts, nodeAt(parts.uischema, section))}</Typography>
          <TextField label="New field label" value={newTitle} onChange={(e) => setNewTitle(e.target.value)} fullWidth sx={{ mb: 1 }} />
          <TextField select label="Lookup (for choices)" value={lookupKey} onChange={(e) => setLookupKey(e.target.value)} fullWidth sx={{ mb: 1 }}>
            {lookups.map((l) => <MenuItem key={l.key} value={l.key}>{l.content.title ?? l.key}</MenuItem>)}
          </TextField>
          <Box sx={{ display: 'grid', gap: 0.5 }}>
            {PALETTE.map((p) => (
              <Button key={p.kind} size="small" variant="outlined" onClick={() => add(p.kind)} disabled={(p.kind === 'lookup' || p.kind === 'multiChoice') && !lookupKey}>
                Add {p.label}
              </Button>
            ))}
            <Button size="small" variant="outlined" onClick={() => { const r = addSection(parts, newTitle.trim() || 'New section'); apply(r.parts, r.path); setNewTitle(''); }}>Add section</Button>
          </Box>
        </Paper>
        <Paper variant="outlined" component="section" aria-labelledby="tree-heading" sx={{ p: 1, maxHeight: '70vh', overflow: 'auto' }}>
          <Typography id="tree-heading" variant="subtitle1" component="h2">Sections and fields</Typography>
          <Typography variant="body2" id="tree-help" sx={{ mb: 1 }}>Select with Enter; move with Alt+Arrow Up/Down or by dragging onto another item.</Typography>
          <Box component="ul" role="tree" aria-label="Form structure" aria-describedby="tree-help" sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {rows.map(({ node, path }) => {
              const isSelected = path.join('.') === selected.join('.');
              return (
                <Box
                  component="li" key={path.join('.') || 'root'} id={treeId(path)} role="treeitem" aria-level={path.length + 1} aria-selected={isSelected}
                  tabIndex={isSelected ? 0 : -1} draggable={path.length > 0}
                  onClick={() => setSelected(path)} onKeyDown={(e) => onTreeKey(e, path)}
                  onDragStart={() => setDragged(path)} onDragOver={(e) => e.preventDefault()} onDrop={(e) => onDrop(e, path, node)}
                  sx={{
                    pl: 1 + path.length * 2, py: 0.25, cursor: 'pointer', borderRadius: 1,
                    bgcolor: isSelected ? 'primary.main' : 'transparent', color: isSelected ? 'primary.contrastText' : 'text.primary',
                    fontWeight: isSection(node) ? 600 : 400, '&:focus-visible': { outline: '2px solid #1f4e79', outlineOffset: 1 },
                  }}
                >
                  {isSection(node) ? '▸ ' : '• '}{path.length === 0 ? 'Whole form' : labelOf(parts, node)}
                  {!isSection(node) && node.scope && <Box component="span" sx={{ opacity: 0.85, fontSize: 12 }}> ({node.scope.replace(/#\/properties\//g, '').replace(/\/properties\//g, '.')})</Box>}
                </Box>
              );
            })}
          </Box>
        </Paper>
        <Paper variant="outlined" component="section" aria-labelledby="properties-heading" sx={{ p: 1 }}>
          <Typography id="properties-heading" variant="subtitle1" component="h2">Properties</Typography>
          <FieldProperties
            parts={parts} path={selected}
            onChange={(next) => apply(next)}
            onMove={(delta) => { const r = moveNode(parts, selected, delta); apply(r.parts, r.path); }}
            onRemove={() => { apply(removeNode(parts, selected), selected.slice(0, -1)); }}
          />
        </Paper>
      </Box>
      <Tabs value={view} onChange={(_e, v) => setView(v)} aria-label="Preview or raw JSON" sx={{ mt: 2 }}>
        <Tab label="Preview" value="preview" id="tab-preview" aria-controls="panel-preview" />
        <Tab label="Raw JSON" value="json" id="tab-json" aria-controls="panel-json" />
      </Tabs>
      <Paper variant="outlined" sx={{ p: 2 }} role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        {view === 'preview' ? <FormPreview parts={parts} /> : <RawJsonView parts={parts} onChange={(next) => apply(next)} />}
      </Paper>
      <PublishPanel kind="form" definitionKey={definitionKey} content={() => content} onPublished={(d) => void loaded.open(d.version)} />
      <FormDiffPanel kind="form" definitionKey={definitionKey} version={loaded.definition!.version} />
      <InProgressPanel definitionKey={definitionKey} version={loaded.definition!.version} />
    </>
  );
}

const treeId = (path: NodePath) => `tree-${path.join('-') || 'root'}`;

interface InProgress {
  count: number;
  versions: { version: number; count: number }[];
  items: { _id: string; caseId: string; formVersion: number; status: string }[];
  truncated: boolean;
}

/** Drafts that keep an older version of this form until they are submitted (GET /api/definitions/form/:key/in-progress). */
function InProgressPanel({ definitionKey, version }: { definitionKey: string; version: number }) {
  const [usage, setUsage] = useState<InProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<InProgress>(`/api/definitions/form/${definitionKey}/in-progress?olderThan=${version}`).then(setUsage, setError);
  }, [definitionKey, version]);
  if (error) return <FormError error={error} />;
  if (!usage) return null;
  const older = usage.versions.filter((v) => v.version < version);
  return (
    <Box component="section" aria-labelledby="in-progress-heading" sx={{ my: 2 }}>
      <Typography id="in-progress-heading" variant="h6" component="h2">In-progress documents on older versions</Typography>
      {older.length === 0 ? <Typography>None: every open document uses this version.</Typography> : (
        <>
          <ul>{older.map((v) => <li key={v.version}>Version {v.version}: {v.count} document(s) keep it until they are submitted</li>)}</ul>
          <ul aria-label="Documents on older versions">
            {usage.items.map((d) => <li key={d._id}><a href={`/documents/${d._id}`}>{d._id}</a> (version {d.formVersion}, {d.status})</li>)}
          </ul>
          {usage.truncated && <Typography variant="body2">Only the first {usage.items.length} are listed.</Typography>}
        </>
      )}
    </Box>
  );
}
