/** The selected node's properties: a section's label, or a field's label, rules and "show when" condition. */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { isSection, labelOf, nodeAt, propertyOf, type FormParts, type Json, type NodePath } from './form-model';

interface Props {
  parts: FormParts;
  path: NodePath;
  onChange: (next: FormParts) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}

/** Every control's scope with its label, for "show when". */
function controls(parts: FormParts): { scope: string; label: string }[] {
  const found: { scope: string; label: string }[] = [];
  const walk = (node: Json) => {
    if (node.type === 'Control' && node.scope) found.push({ scope: node.scope, label: labelOf(parts, node) });
    (node.elements ?? []).forEach(walk);
  };
  walk(parts.uischema);
  return found;
}

const numberOrUndefined = (text: string) => (text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text));

export function FieldProperties({ parts, path, onChange, onMove, onRemove }: Props) {
  const node = nodeAt(parts.uischema, path);
  if (!node) return <Typography>Select a section or a field.</Typography>;
  const edit = (change: (next: FormParts, node: Json) => void) => {
    const next = structuredClone(parts);
    change(next, nodeAt(next.uischema, path));
    onChange(next);
  };
  const moveButtons = path.length > 0 && (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mt: 2 }}>
      <Button size="small" variant="outlined" onClick={() => onMove(-1)}>Move up</Button>
      <Button size="small" variant="outlined" onClick={() => onMove(1)}>Move down</Button>
      <Button size="small" color="error" variant="outlined" onClick={onRemove}>Remove</Button>
    </Box>
  );

  if (isSection(node)) {
    return (
      <>
        <Typography variant="body2" sx={{ mb: 1 }}>{path.length === 0 ? 'The whole form' : `A ${node.type === 'Group' ? 'section' : 'layout'}`}: add fields to it from the palette.</Typography>
        {node.type === 'Group' && <TextField label="Section label" fullWidth value={node.label ?? ''} onChange={(e) => edit((_n, target) => { target.label = e.target.value; })} />}
        {moveButtons}
      </>
    );
  }

  const found = node.scope ? propertyOf(parts.schema, node.scope) : null;
  if (!found) {
    return <><Typography>This element shows no field ({node.type}).</Typography>{moveButtons}</>;
  }
  const property = found.property;
  const isString = property.type === 'string' && !property.enum && !property.format;
  const isNumber = property.type === 'number' || property.type === 'integer';
  const required = Array.isArray(found.parent.required) && found.parent.required.includes(found.name);
  const editProperty = (change: (property: Json, parent: Json) => void) => edit((next) => {
    const target = propertyOf(next.schema, node.scope)!;
    change(target.property, target.parent);
  });
  const setAttr = (name: string, value: unknown) => editProperty((p) => { if (value === undefined || value === '') delete p[name]; else p[name] = value; });
  const rule = node.rule?.condition;
  const others = controls(parts).filter((c) => c.scope !== node.scope);

  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      <Typography variant="body2">Data: {scopeText(node.scope)} ({property.format ?? property.type}{property['x-lookup'] ? `, lookup ${property['x-lookup']}` : ''})</Typography>
      <TextField label="Label" value={property.title ?? ''} onChange={(e) => setAttr('title', e.target.value)} />
      <FormControlLabel
        control={<Checkbox checked={required} onChange={(e) => editProperty((_p, parent) => {
          const list: string[] = Array.isArray(parent.required) ? parent.required.filter((r: string) => r !== found.name) : [];
          if (e.target.checked) list.push(found.name);
          if (list.length) parent.required = list; else delete parent.required;
        })} />}
        label="Required"
      />
      <TextField label="Help text" multiline minRows={2} value={property.description ?? ''} onChange={(e) => setAttr('description', e.target.value)} />
      {isNumber && (
        <Box sx={{ display: 'flex', gap: 1 }}>
          <TextField label="Minimum" type="number" value={property.minimum ?? ''} onChange={(e) => setAttr('minimum', numberOrUndefined(e.target.value))} />
          <TextField label="Maximum" type="number" value={property.maximum ?? ''} onChange={(e) => setAttr('maximum', numberOrUndefined(e.target.value))} />
        </Box>
      )}
      {isString && (
        <>
          <Box sx={{ display: 'flex', gap: 1 }}>
            <TextField label="Minimum length" type="number" value={property.minLength ?? ''} onChange={(e) => setAttr('minLength', numberOrUndefined(e.target.value))} />
            <TextField label="Maximum length" type="number" value={property.maxLength ?? ''} onChange={(e) => setAttr('maxLength', numberOrUndefined(e.target.value))} />
          </Box>
          <TextField label="Pattern (regular expression)" value={property.pattern ?? ''} onChange={(e) => setAttr('pattern', e.target.value)} />
        </>
      )}
      <FormControlLabel control={<Checkbox checked={!!property.readOnly} onChange={(e) => setAttr('readOnly', e.target.checked || undefined)} />} label="Read-only" />
      <Typography variant="subtitle2" component="h3">Show when</Typography>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        <TextField
          select label="Field" value={rule?.scope ?? ''} sx={{ minWidth: 180 }}
          onChange={(e) => edit((_n, target) => {
            if (!e.target.value) delete target.rule;
            else target.rule = { effect: 'SHOW', condition: { scope: e.target.value, schema: { const: rule?.schema?.const ?? true } } };
          })}
        >
          <MenuItem value="">Always shown</MenuItem>
          {others.map((c) => <MenuItem key={c.scope} value={c.scope}>{c.label}</MenuItem>)}
        </TextField>
        {rule && (
          <TextField
            label="Equals" value={rule.schema?.const === undefined ? '' : String(rule.schema.const)}
            helperText="true, false, a number or a text"
            onChange={(e) => edit((_n, target) => { target.rule.condition.schema = { const: parseConst(e.target.value) }; })}
          />
        )}
      </Box>
      {moveButtons}
    </Box>
  );
}

function parseConst(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

function scopeText(scope: string): string {
  return scope.replace(/#\/properties\//g, '').replace(/\/properties\//g, '.');
}
