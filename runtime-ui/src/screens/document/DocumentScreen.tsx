/**
 * A document: the generated form of its form version (prefilled by the server), with Save (a
 * draft; autosaved too), Sign, Submit (every missing or invalid field listed and linked, errors
 * inline), Print / PDF, read-only once submitted or when the user may not edit, its status and
 * dates, and its history of decisions with reasons.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { countyTimeZone } from '../../forms/county-time';
import { caseLabel, loadCaseTypes } from '../home/definitions';
import { withLookupChoices } from '../../forms/lookups';
import type { CaseFile } from '../../renderers/FileControl';
import { DocumentEditor } from './DocumentEditor';
import type { DocumentRecord, FormDefinition } from './types';

interface Loaded {
  doc: DocumentRecord;
  form: FormDefinition;
  renderSchema: object;
  caseNumber: string;
  /** What a case of the document's case type is called. */
  caseLabel: string;
  caseFiles: CaseFile[];
  timeZone: string | undefined;
}

/** `onDone`: called after a successful Save or Submit (when the screen is shown in a dialog). */
export function DocumentScreen({ id, onDone }: { id: string; onDone?: () => void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const doc = await api.get<DocumentRecord>(`/api/documents/${encodeURIComponent(id)}`);
      const [form, caseRecord, caseTypes, caseFiles, timeZone] = await Promise.all([
        api.get<FormDefinition>(`/api/definitions/form/${doc.form}/versions/${doc.formVersion}`),
        api.get<{ number: string; caseType: string }>(`/api/cases/${doc.caseId}`),
        loadCaseTypes(),
        api.get<CaseFile[]>(`/api/cases/${doc.caseId}/files`).catch(() => []),
        countyTimeZone(),
      ]);
      const renderSchema = await withLookupChoices(form.content.schema, doc.data);
      if (live) setLoaded({
        doc, form, renderSchema, caseNumber: caseRecord.number, caseLabel: caseLabel(caseTypes.find((t) => t.key === caseRecord.caseType)), caseFiles, timeZone,
      });
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);

  if (error) {
    return (
      <Box>
        <Typography variant="h5" component="h1">Document</Typography>
        <FormError error={error} />
      </Box>
    );
  }
  if (!loaded) return <CircularProgress aria-label="Loading the document" />;
  if (!loaded.form.content.schema) return <Alert severity="error">This form version has no schema.</Alert>;
  return <DocumentEditor key={loaded.doc._id} {...loaded} onDone={onDone} />;
}
