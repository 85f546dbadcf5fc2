/**
 * Documents of the case (status, start, due and completed dates; each opens the document
 * screen), Add Document from the forms the user may start, and uploaded files with their
 * description (upload and download).
 */
import { useEffect, useState, type FormEvent } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { Link, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { creatableForms, loadFormTitles, loadTimeZone, mayDo, useLoaded, type CaseType } from '../home/definitions';
import { formatDate, formatDay } from '../home/format';
import type { CaseRecord } from './CaseScreen';
import { startDocument, useCaseDocuments } from './caseDocuments';

interface CaseFile { id: string; name: string; description: string; size: number; uploadedAt: string }

export function DocumentsTab({ record, caseType }: { record: CaseRecord; caseType: CaseType }) {
  const session = useSession();
  const { value: titles } = useLoaded(loadFormTitles);
  const { value: timeZone = 'America/Los_Angeles' } = useLoaded(loadTimeZone);
  const { documents, error } = useCaseDocuments(record._id);
  const [form, setForm] = useState('');
  const [addError, setAddError] = useState<unknown>(null);
  const allowed = creatableForms(caseType, session.principal, Object.keys(titles ?? {})).filter((f) => titles?.[f]);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    setAddError(null);
    try {
      navigate(`/documents/${(await startDocument(record._id, form))._id}`);
    } catch (e) {
      setAddError(e);
    }
  };
  return (
    <Stack spacing={3}>
      <FormError error={error ?? addError} />
      {allowed.length > 0 && (
        <Box component="form" onSubmit={add} aria-label="Add Document" sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          <TextField select size="small" id="add-document-form" label="Document" value={form} onChange={(e) => setForm(e.target.value)} sx={{ minWidth: 280 }}>
            {allowed.map((f) => <MenuItem key={f} value={f}>{titles?.[f] ?? f}</MenuItem>)}
          </TextField>
          <Button type="submit" variant="contained" disabled={!form}>Add Document</Button>
        </Box>
      )}
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-label="Documents">
          <TableHead>
            <TableRow><TableCell>Document</TableCell><TableCell>Status</TableCell><TableCell>Start Date</TableCell><TableCell>Due Date</TableCell><TableCell>Completed Date</TableCell></TableRow>
          </TableHead>
          <TableBody>
            {(documents ?? []).map((doc) => (
              <TableRow key={doc._id} hover>
                <TableCell><Link to={`/documents/${doc._id}`}>{doc.deliverable?.title ?? titles?.[doc.form] ?? doc.form}</Link></TableCell>
                <TableCell>{doc.status}</TableCell>
                <TableCell>{formatDay(doc.createdAt, timeZone)}</TableCell>
                <TableCell>{formatDate(doc.deliverable?.dueDate)}</TableCell>
                <TableCell>{formatDay(doc.submittedAt, timeZone)}</TableCell>
              </TableRow>
            ))}
            {documents?.length === 0 && <TableRow><TableCell colSpan={5}>No documents yet.</TableCell></TableRow>}
          </TableBody>
        </Table>
      </TableContainer>
      <CaseFiles caseId={record._id} mayUpload={mayDo(caseType, session.principal, 'uploadFile')} timeZone={timeZone} />
    </Stack>
  );
}

function CaseFiles({ caseId, mayUpload, timeZone }: { caseId: string; mayUpload: boolean; timeZone: string }) {
  const [files, setFiles] = useState<CaseFile[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [description, setDescription] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  const load = () => api.get<CaseFile[]>(`/api/cases/${caseId}/files`).then(setFiles, setError);
  useEffect(() => { void load(); }, [caseId]);
  const upload = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    const body = new FormData();
    body.append('description', description); // before the file: the server reads it with the file part
    body.append('file', file);
    setUploading(true);
    setError(null);
    try {
      await api.post(`/api/cases/${caseId}/files`, body);
      setDescription('');
      setFile(null);
      setInputKey((k) => k + 1);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setUploading(false);
    }
  };
  return (
    <Box component="section" aria-labelledby="files-heading">
      <Typography id="files-heading" variant="h6" component="h2" gutterBottom>Uploaded Files</Typography>
      <FormError error={error} />
      {mayUpload && (
        <Box component="form" onSubmit={upload} aria-label="Upload a file" sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', mb: 1 }}>
          <TextField size="small" label="Description" value={description} onChange={(e) => setDescription(e.target.value)} inputProps={{ maxLength: 500 }} sx={{ minWidth: 260 }} />
          <input key={inputKey} type="file" aria-label="File to upload" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <Button type="submit" variant="contained" disabled={!file || uploading}>Upload</Button>
        </Box>
      )}
      {uploading && <LinearProgress aria-label="Uploading" />}
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-label="Files">
          <TableHead><TableRow><TableCell>File</TableCell><TableCell>Description</TableCell><TableCell>Size</TableCell><TableCell>Uploaded</TableCell></TableRow></TableHead>
          <TableBody>
            {(files ?? []).map((f) => (
              <TableRow key={f.id}>
                <TableCell><a href={`/api/files/${f.id}`} download={f.name}>{f.name}</a></TableCell>
                <TableCell>{f.description}</TableCell>
                <TableCell>{f.size < 1024 ? `${f.size} B` : `${Math.round(f.size / 1024)} KB`}</TableCell>
                <TableCell>{formatDay(f.uploadedAt, timeZone)}</TableCell>
              </TableRow>
            ))}
            {files?.length === 0 && <TableRow><TableCell colSpan={4}>No files uploaded.</TableCell></TableRow>}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}
