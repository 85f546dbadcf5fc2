/**
 * Advocate Activity: the activity documents of the case (date, type, units, status), added and
 * edited in a dialog that renders the activity form; Save keeps a draft, Sign and Submit
 * submits it with the signer's typed name.
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import { JsonForms } from '@jsonforms/react';
import { materialCells, materialRenderers } from '@jsonforms/material-renderers';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { useSession } from '../../app/session';
import { loadFormTitles, mayDo, useLoaded, type CaseType } from '../home/definitions';
import { formatDate } from '../home/format';
import type { CaseRecord } from './CaseScreen';
import { startDocument, useCaseDocuments, type DocumentItem } from './caseDocuments';
import { settleInputs } from './settle';
import { CASE_TABS } from './tabs';

export function ActivityTab({ record, caseType }: { record: CaseRecord; caseType: CaseType }) {
  const { form, columns } = CASE_TABS.activity;
  const session = useSession();
  const { value: titles } = useLoaded(loadFormTitles);
  const { documents, error, reload } = useCaseDocuments(record._id, form);
  const [editing, setEditing] = useState<DocumentItem | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const mayAdd = mayDo(caseType, session.principal, `createDocument:${form}`);
  const title = titles?.[form] ?? CASE_TABS.activity.label;
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
      {editing && <ActivityDialog documentId={editing._id} title={title} onClose={() => { setEditing(null); void reload(); }} />}
    </Stack>
  );
}

function ActivityDialog({ documentId, title, onClose }: { documentId: string; title: string; onClose: () => void }) {
  const session = useSession();
  const [doc, setDoc] = useState<DocumentItem | null>(null);
  const [definition, setDefinition] = useState<{ schema: any; uischema: any } | null>(null);
  const [data, setData] = useState<Record<string, any>>({});
  const latest = useRef(data);
  const [signature, setSignature] = useState(session.principal?.name ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<DocumentItem>(`/api/documents/${documentId}`).then(async (d) => {
      const def = await api.get(`/api/definitions/form/${d.form}/versions/${d.formVersion}`);
      setDoc(d);
      setData(d.data ?? {});
      latest.current = d.data ?? {};
      setDefinition({ schema: def.content.schema, uischema: def.content.uischema });
    }).catch(setError);
  }, [documentId]);
  const readonly = doc?.stage === 'submitted';
  const act = async (submit: boolean) => {
    if (!doc) return;
    setBusy(true);
    setError(null);
    try {
      await settleInputs();
      const body = { data: latest.current, version: doc.version };
      if (submit) await api.post(`/api/documents/${doc._id}/submit`, { ...body, signature: { name: signature } });
      else await api.put(`/api/documents/${doc._id}`, body);
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="activity-title" fullWidth maxWidth="md">
      <DialogTitle id="activity-title">{title}</DialogTitle>
      <DialogContent>
        <FormError error={error} />
        {definition && (
          <JsonForms schema={definition.schema} uischema={definition.uischema} data={data} renderers={materialRenderers} cells={materialCells}
            readonly={readonly} onChange={({ data: next }) => { latest.current = next; setData(next); }} />
        )}
        {!readonly && doc && (
          <TextField label="Signature (type your full name to submit)" value={signature} onChange={(e) => setSignature(e.target.value)} fullWidth sx={{ mt: 2 }} />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{readonly ? 'Close' : 'Cancel'}</Button>
        {!readonly && <Button onClick={() => void act(false)} disabled={busy || !doc}>Save</Button>}
        {!readonly && <Button variant="contained" onClick={() => void act(true)} disabled={busy || !doc || !signature.trim()}>Sign and Submit</Button>}
      </DialogActions>
    </Dialog>
  );
}
