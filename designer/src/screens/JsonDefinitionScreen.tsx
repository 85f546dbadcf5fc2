/**
 * A definition edited as raw JSON (case types, the holiday calendar), with a structured editor
 * above it for the parts administrators change most: a case type's deliverables (due windows,
 * alert lead times) and the calendar's holidays. Both views edit the same text.
 */
import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FormError } from '../../../runtime-ui/src/app/FormError';
import type { Kind } from '../app/definitions';
import { FormDiffPanel } from '../app/FormDiffPanel';
import { PublishPanel } from '../app/PublishPanel';
import { useDefinition, VersionPicker } from '../app/useDefinition';

const TITLES: Partial<Record<Kind, string>> = { caseType: 'Case type', calendar: 'Holiday calendar' };

export function JsonDefinitionScreen({ kind, definitionKey }: { kind: 'caseType' | 'calendar'; definitionKey: string }) {
  const loaded = useDefinition<Record<string, any>>(kind, definitionKey);
  const [text, setText] = useState('');
  useEffect(() => {
    if (loaded.definition) setText(JSON.stringify(loaded.definition.content, null, 2));
  }, [loaded.definition]);

  let parsed: Record<string, any> | null = null;
  let parseError: string | null = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch (error) {
    parseError = (error as Error).message;
  }
  const update = (change: (content: Record<string, any>) => void) => {
    if (!parsed) return;
    const next = structuredClone(parsed);
    change(next);
    setText(JSON.stringify(next, null, 2));
  };

  const definition = loaded.definition;
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>{TITLES[kind]}: {definitionKey}</Typography>
      <FormError error={loaded.error} />
      {definition && (
        <>
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
            <VersionPicker versions={loaded.versions} value={definition.version} onChange={(v) => void loaded.open(v)} />
            <Typography variant="body2">Published by {definition.publishedBy}</Typography>
          </Box>
          {parsed && kind === 'caseType' && Array.isArray(parsed.deliverables) && <DeliverablesEditor deliverables={parsed.deliverables} update={update} />}
          {parsed && kind === 'calendar' && <HolidaysEditor holidays={parsed.holidays ?? []} update={update} />}
          <TextField
            label="Raw JSON" multiline fullWidth minRows={12} maxRows={30} value={text}
            onChange={(e) => setText(e.target.value)}
            error={!!parseError} helperText={parseError ? `Not valid JSON: ${parseError}` : 'The whole definition, as published.'}
            slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } } }}
            sx={{ my: 2, bgcolor: 'background.paper' }}
          />
          <PublishPanel
            kind={kind} definitionKey={definitionKey}
            content={() => {
              if (!parsed) throw new Error(`The raw JSON cannot be read: ${parseError ?? 'it is empty'}`);
              return parsed;
            }}
            onPublished={(d) => void loaded.open(d.version)}
          />
          {kind === 'caseType' && <FormDiffPanel kind="caseType" definitionKey={definitionKey} version={definition.version} />}
        </>
      )}
    </>
  );
}

function DeliverablesEditor({ deliverables, update }: { deliverables: Record<string, any>[]; update: (change: (c: Record<string, any>) => void) => void }) {
  const set = (index: number, field: string, value: string) => update((c) => { c.deliverables[index][field] = value; });
  return (
    <Box component="section" aria-labelledby="deliverables-heading" sx={{ my: 2 }}>
      <Typography id="deliverables-heading" variant="h6" component="h2">Deliverables</Typography>
      <Typography variant="body2" sx={{ mb: 1 }}>Due windows are ISO durations from the anchor date (P14D = 14 days) or FEEL starting with = (e.g. =add business days(anchor, 10)).</Typography>
      <Table size="small" aria-label="Deliverables" sx={{ bgcolor: 'background.paper' }}>
        <TableHead><TableRow><TableCell>Deliverable</TableCell><TableCell>Form</TableCell><TableCell>Due</TableCell><TableCell>Alert before</TableCell></TableRow></TableHead>
        <TableBody>
          {deliverables.map((d, i) => (
            <TableRow key={d.key ?? i}>
              <TableCell>{d.title}</TableCell>
              <TableCell>{d.form}</TableCell>
              <TableCell><TextField label={`Due: ${d.title}`} value={d.due ?? ''} onChange={(e) => set(i, 'due', e.target.value)} /></TableCell>
              <TableCell><TextField label={`Alert before: ${d.title}`} value={d.alertBefore ?? ''} onChange={(e) => set(i, 'alertBefore', e.target.value)} /></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function HolidaysEditor({ holidays, update }: { holidays: string[]; update: (change: (c: Record<string, any>) => void) => void }) {
  const [day, setDay] = useState('');
  return (
    <Box component="section" aria-labelledby="holidays-heading" sx={{ my: 2 }}>
      <Typography id="holidays-heading" variant="h6" component="h2">Holidays</Typography>
      <Box sx={{ display: 'flex', gap: 1, my: 1 }}>
        <TextField type="date" label="Holiday" value={day} onChange={(e) => setDay(e.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
        <Button variant="outlined" disabled={!day || holidays.includes(day)} onClick={() => { update((c) => { c.holidays = [...(c.holidays ?? []), day].sort(); }); setDay(''); }}>Add holiday</Button>
      </Box>
      <Box component="ul" aria-label="Holidays" sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, listStyle: 'none', p: 0 }}>
        {holidays.map((h) => (
          <li key={h}>
            <Button size="small" variant="text" aria-label={`Remove holiday ${usDate(h)}`} onClick={() => update((c) => { c.holidays = c.holidays.filter((x: string) => x !== h); })}>{usDate(h)} ✕</Button>
          </li>
        ))}
      </Box>
    </Box>
  );
}

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}
