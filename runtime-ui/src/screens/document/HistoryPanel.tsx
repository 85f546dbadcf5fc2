/** The history of a document: each step of the processes it went through, with decisions and reasons. */
import { useEffect, useState } from 'react';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { usDateTime } from '../../forms/county-time';
import type { DocumentHistory } from './types';

const STATUS_WORDS: Record<string, string> = { open: 'Pending', completed: 'Done', cancelled: 'Closed' };

export function HistoryPanel({ documentId, refreshKey, timeZone }: { documentId: string; refreshKey: number; timeZone: string | undefined }) {
  const [history, setHistory] = useState<DocumentHistory | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.get<DocumentHistory>(`/api/documents/${documentId}/history`).then(setHistory, setError);
  }, [documentId, refreshKey]);
  return (
    <Paper component="section" aria-labelledby="history-heading" sx={{ p: 2, my: 2 }}>
      <Typography id="history-heading" variant="h6" component="h2" gutterBottom>History</Typography>
      <FormError error={error} />
      {history && history.instances.length === 0 && <Typography variant="body2">Not sent anywhere yet.</Typography>}
      {history && history.instances.length > 0 && (
        <ul style={{ margin: '0 0 8px', paddingLeft: 18 }}>
          {history.instances.map((i) => (
            <li key={i._id}>
              {i.processKey}: {i.status === 'completed' ? 'done' : i.status}, started {usDateTime(i.startedAt, timeZone)}
              {i.endedAt ? `, ended ${usDateTime(i.endedAt, timeZone)}` : ''}
            </li>
          ))}
        </ul>
      )}
      {history && history.instances.length > 0 && history.tasks.length === 0 && <Typography variant="body2">No decisions were needed.</Typography>}
      {history && history.tasks.length > 0 && (
        <Table size="small" aria-labelledby="history-heading">
          <TableHead>
            <TableRow>
              <TableCell>Step</TableCell><TableCell>Status</TableCell><TableCell>Decision</TableCell>
              <TableCell>Reason</TableCell><TableCell>By</TableCell><TableCell>Date</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {history.tasks.map((t) => (
              <TableRow key={t._id}>
                <TableCell>{t.name}</TableCell>
                <TableCell>{STATUS_WORDS[t.status] ?? t.status}</TableCell>
                <TableCell>{t.decision ?? ''}</TableCell>
                <TableCell>{t.reason ?? ''}</TableCell>
                <TableCell>{t.completedByName ?? t.assigneeName ?? ''}</TableCell>
                <TableCell>{usDateTime(t.completedAt ?? t.createdAt, timeZone)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}
