/**
 * A lookup (drop-down list): add codes, rename their labels, retire them. A code is never
 * deleted or changed once published, so documents that hold it still read; a retired code is
 * no longer offered for new entries.
 */
import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FormError } from '../../../runtime-ui/src/app/FormError';
import { PublishPanel } from '../app/PublishPanel';
import { useDefinition, VersionPicker } from '../app/useDefinition';

interface LookupItem {
  code: string;
  label: string;
  retired?: boolean;
  [more: string]: unknown;
}

interface Lookup {
  title: string;
  items: LookupItem[];
  [more: string]: unknown;
}

export function LookupEditor({ definitionKey }: { definitionKey: string }) {
  const loaded = useDefinition<Lookup>('lookup', definitionKey);
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [newCode, setNewCode] = useState('');
  const [newLabel, setNewLabel] = useState('');
  useEffect(() => {
    if (loaded.definition) setLookup(structuredClone(loaded.definition.content));
  }, [loaded.definition]);

  const published = new Set((loaded.definition?.content.items ?? []).map((i) => i.code));
  const setItem = (index: number, change: Partial<LookupItem>) =>
    setLookup((l) => l && { ...l, items: l.items.map((item, i) => (i === index ? { ...item, ...change } : item)) });
  const duplicate = !!lookup?.items.some((i) => i.code === newCode.trim());

  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Lookup: {lookup?.title ?? definitionKey}</Typography>
      <FormError error={loaded.error} />
      {loaded.definition && lookup && (
        <>
          <VersionPicker versions={loaded.versions} value={loaded.definition.version} onChange={(v) => void loaded.open(v)} />
          <Table size="small" aria-label="Codes" sx={{ my: 2, bgcolor: 'background.paper' }}>
            <TableHead><TableRow><TableCell>Code</TableCell><TableCell>Label</TableCell><TableCell>Retired</TableCell></TableRow></TableHead>
            <TableBody>
              {lookup.items.map((item, i) => (
                <TableRow key={item.code + i}>
                  <TableCell>
                    {published.has(item.code)
                      ? item.code
                      : <TextField label="Code" value={item.code} onChange={(e) => setItem(i, { code: e.target.value })} />}
                  </TableCell>
                  <TableCell><TextField fullWidth label={`Label of ${item.code}`} value={item.label} onChange={(e) => setItem(i, { label: e.target.value })} /></TableCell>
                  <TableCell>
                    <Checkbox checked={!!item.retired} onChange={(e) => setItem(i, { retired: e.target.checked || undefined })} slotProps={{ input: { 'aria-label': `Retire ${item.code}` } }} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <TextField label="New code" value={newCode} onChange={(e) => setNewCode(e.target.value)} error={duplicate} helperText={duplicate ? 'This code exists already' : ' '} />
            <TextField label="New label" value={newLabel} onChange={(e) => setNewLabel(e.target.value)} helperText=" " />
            <Button
              variant="outlined" disabled={!newCode.trim() || !newLabel.trim() || duplicate}
              onClick={() => { setLookup({ ...lookup, items: [...lookup.items, { code: newCode.trim(), label: newLabel.trim() }] }); setNewCode(''); setNewLabel(''); }}
            >
              Add code
            </Button>
          </Box>
          <PublishPanel kind="lookup" definitionKey={definitionKey} content={() => lookup} onPublished={(d) => void loaded.open(d.version)} />
        </>
      )}
    </>
  );
}
