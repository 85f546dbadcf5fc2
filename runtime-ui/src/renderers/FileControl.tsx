/**
 * A file kept with the case: choose a file, describe it, upload it to the case's files
 * (POST /api/cases/:id/files); the field stores the file's id and shows a download link.
 *
 * Tester: a string control with `options.format: "file"`. Needs the JSON Forms config to name the
 * case (`config.caseId`) and may pass the case's files (`config.caseFiles`) to show their names.
 */
import { useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { and, isStringControl, optionIs, rankWith, type ControlProps } from '@jsonforms/core';
import { withJsonFormsControlProps } from '@jsonforms/react';
import { api, ApiError } from '../api/client';
import { controlId, errorText } from './control-helpers';

export interface CaseFile {
  id: string;
  name: string;
  description?: string;
  size: number;
}

/** Names of files uploaded in this page session, for files the case list did not include yet. */
const uploadedNames = new Map<string, string>();

function FileControl({ data, handleChange, path, label, errors, enabled, visible, required, config }: ControlProps) {
  const [description, setDescription] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');
  const input = useRef<HTMLInputElement>(null);
  if (!visible) return null;
  const id = controlId(path);
  const caseFiles = (config?.caseFiles as CaseFile[] | undefined) ?? [];
  const stored = typeof data === 'string' && data ? data : null;
  const name = stored ? caseFiles.find((f) => f.id === stored)?.name ?? uploadedNames.get(stored) ?? 'Download the file' : null;
  const problem = failure || errorText(errors);

  const upload = async () => {
    if (!file) {
      setFailure('Choose a file first.');
      return;
    }
    setBusy(true);
    setFailure('');
    try {
      const form = new FormData();
      form.append('description', description); // before the file: the server reads it with the file part
      form.append('file', file);
      const saved = await api.post<CaseFile>(`/api/cases/${encodeURIComponent(String(config?.caseId))}/files`, form);
      uploadedNames.set(saved.id, saved.name);
      handleChange(path, saved.id);
      setFile(null);
      setDescription('');
    } catch (error) {
      setFailure(error instanceof ApiError ? [error.message, ...error.errors.map((e) => e.message)].join(' ') : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box role="group" aria-labelledby={`${id}-label`} data-path={path} sx={{ display: 'flex', flexDirection: 'column', gap: 1, minWidth: 220 }}>
      <Typography id={`${id}-label`} variant="body2" component="span">{label}{required ? ' *' : ''}</Typography>
      {stored && (
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <a href={`/api/files/${encodeURIComponent(stored)}`} download>{name}</a>
          {enabled && <Button size="small" className="no-print" onClick={() => handleChange(path, undefined)}>Remove</Button>}
        </Box>
      )}
      {!stored && enabled && (
        <>
          <Button component="label" variant="outlined" size="small" htmlFor={`${id}-file`}>
            {file ? `Chosen: ${file.name}` : 'Choose file'}
          </Button>
          <input id={`${id}-file`} ref={input} type="file" aria-label={`${label}: file`} style={{ position: 'absolute', width: 1, height: 1, opacity: 0 }} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <TextField id={`${id}-description`} size="small" label={`${label}: description`} value={description} onChange={(e) => setDescription(e.target.value)} slotProps={{ htmlInput: { maxLength: 500 } }} />
          <Button size="small" variant="contained" disabled={busy} aria-label={`Upload ${label}`} onClick={() => void upload()}>Upload</Button>
          {busy && <LinearProgress aria-label="Uploading" />}
        </>
      )}
      {!stored && !enabled && <Typography variant="body2">No file</Typography>}
      {problem && <Typography variant="body2" color="error" role="alert">{problem}</Typography>}
    </Box>
  );
}

export const fileTester = rankWith(6, and(isStringControl, optionIs('format', 'file')));
export const FileRenderer = withJsonFormsControlProps(FileControl);
