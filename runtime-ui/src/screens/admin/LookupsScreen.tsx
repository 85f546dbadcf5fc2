/** Lookups (the drop-down lists): every published list with its codes, read-only (the program administrator edits them in the designer). */
import { useEffect, useState } from 'react';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import type { LookupItem } from './admin-api';

interface LookupDefinition {
  key: string;
  version: number;
  content: { title?: string; items: LookupItem[] };
}

export function LookupsScreen() {
  const [lookups, setLookups] = useState<LookupDefinition[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<LookupDefinition[]>('/api/definitions?kind=lookup').then((all) => {
      const sorted = [...all].sort((a, b) => (a.content.title ?? a.key).localeCompare(b.content.title ?? b.key));
      setLookups(sorted);
      setChosen((c) => c ?? sorted[0]?.key ?? null);
    }, setError);
  }, []);
  const lookup = lookups?.find((l) => l.key === chosen);
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>Lookups</Typography>
      <FormError error={error} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} alignItems="flex-start">
        <Paper sx={{ minWidth: 240 }}>
          <List dense aria-label="Lookup lists">
            {lookups?.map((l) => (
              <ListItem key={l.key} disablePadding>
                <ListItemButton selected={l.key === chosen} aria-current={l.key === chosen ? 'true' : undefined} onClick={() => setChosen(l.key)}>
                  <ListItemText primary={l.content.title ?? l.key} secondary={`${l.key}, version ${l.version}`} />
                </ListItemButton>
              </ListItem>
            ))}
          </List>
        </Paper>
        {lookup && (
          <Paper sx={{ flexGrow: 1, width: '100%' }}>
            <Typography variant="h6" component="h2" sx={{ px: 2, pt: 1 }}>{lookup.content.title ?? lookup.key} ({lookup.content.items.length} codes)</Typography>
            <Table size="small" aria-label={`Codes of ${lookup.content.title ?? lookup.key}`}>
              <TableHead><TableRow><TableCell>Code</TableCell><TableCell>Label</TableCell><TableCell>Retired</TableCell></TableRow></TableHead>
              <TableBody>
                {lookup.content.items.map((item) => (
                  <TableRow key={item.code}><TableCell>{item.code}</TableCell><TableCell>{item.label}</TableCell><TableCell>{item.retired ? 'Yes' : 'No'}</TableCell></TableRow>
                ))}
              </TableBody>
            </Table>
          </Paper>
        )}
      </Stack>
    </>
  );
}
