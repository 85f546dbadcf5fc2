/**
 * Advocate Activity: the activity documents of the case (date, type, units, status), added and
 * edited in a dialog showing the document editor; Save keeps a draft, Sign and Submit submits it.
 */
import { useState } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { FormError } from '../../app/FormError';
import { useSession } from '../../app/session';
import { mayDo, type CaseType } from '../home/definitions';
import { formatDate } from '../home/format';
import type { CaseRecord } from './CaseScreen';
import { startDocument, useCaseDocuments, type DocumentItem } from './caseDocuments';
import { CASE_TABS } from './tabs';
import { DocumentScreen } from '../document/DocumentScreen';

export function ActivityTab({ record, caseType }: { record: CaseRecord; caseType: CaseType }) {
  const { form, columns } = CASE_TABS.activity;
  const session = useSession();
  const { documents, error, reload } = useCaseDocuments(record._id, form);
  const [editing, setEditing] = useState<DocumentItem | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const mayAdd = mayDo(caseType, session.principal, `createDocument:${form}`);
  const activities = (documents ?? []).filter((d) => d.form === form)
    .sort((a, b) => String(b.data?.[columns.date] ?? b.createdAt).localeCompare(String(a.data?.[columns.date] ?? a.createdAt)));
  const add = async () => {
    setStartError(null);
    try {
      setEditing(await startDocument(record._id, form));
    } catch (e) {
      setStartError(e);
    }
  };
  return (
    <Stack spacing={2}>
      <FormError error={error ?? startError} />
      {mayAdd && <div><Button variant="contained" onClick={() => void add()}>Add Activity</Button></div>}
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-label="Activities">
          <TableHead>
            <TableRow><TableCell>Activity Date</TableCell><TableCell>Activity Type</TableCell><TableCell>Service Units</TableCell><TableCell>Status</TableCell><TableCell>Action</TableCell></TableRow>
          </TableHead>
          <TableBody>
            {activities.map((doc) => (
              <TableRow key={doc._id}>
                <TableCell>{formatDate(doc.data?.[columns.date])}</TableCell>
                <TableCell>{doc.data?.[columns.type] ?? ''}</TableCell>
                <TableCell>{doc.data?.[columns.units] ?? ''}</TableCell>
                <TableCell>{doc.status}</TableCell>
                <TableCell><Button size="small" onClick={() => setEditing(doc)}>{doc.stage === 'draft' ? 'Edit' : 'View'}</Button></TableCell>
              </TableRow>
            ))}
            {documents && activities.length === 0 && <TableRow><TableCell colSpan={5}>No activity logged yet.</TableCell></TableRow>}
          </TableBody>
        </Table>
      </TableContainer>
      {editing && <ActivityDialog documentId={editing._id} onClose={() => { setEditing(null); void reload(); }} />}
    </Stack>
  );
}

/** The activity in the one document editor every form uses (renderers, validation, autosave, Sign/Submit). */
function ActivityDialog({ documentId, onClose }: { documentId: string; onClose: () => void }) {
  return (
    <Dialog open onClose={onClose} aria-labelledby="document-title" fullWidth maxWidth="md">
      <DialogContent>
        <DocumentScreen id={documentId} onDone={onClose} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
