/** The document screen once loaded: header, notices, the problem list, the form, Sign/Submit, history. */
import { useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { FormError } from '../../app/FormError';
import { Link } from '../../app/router';
import { todayIn, usDate, usDateTime } from '../../forms/county-time';
import { focusField } from '../../forms/focus-field';
import { FormView } from '../../forms/FormView';
import { pointerToPath } from '../../forms/validation';
import type { CaseFile } from '../../renderers/FileControl';
import { SignatureField } from '../../renderers/SignatureField';
import { HistoryPanel } from './HistoryPanel';
import { ProblemList } from './ProblemList';
import type { DocumentRecord, FormDefinition } from './types';
import { SIGNATURE_PATH, useDocumentEditor, type SaveState } from './useDocumentEditor';

const SIGNATURE_ID = 'document-signature';

const SAVE_WORDS: Record<SaveState, string> = {
  saved: 'All changes saved',
  unsaved: 'Unsaved changes (kept on this device; saving shortly)',
  saving: 'Saving…',
  failed: 'Not saved: your changes are kept on this device',
};

interface Props {
  doc: DocumentRecord;
  form: FormDefinition;
  renderSchema: object;
  caseNumber: string;
  caseLabel: string;
  caseFiles: CaseFile[];
  timeZone: string | undefined;
  /** Called after Save or Submit succeeded (a dialog closes itself on it). */
  onDone?: () => void;
}

export function DocumentEditor({ doc: initial, form, renderSchema, caseNumber, caseLabel, caseFiles, timeZone, onDone }: Props) {
  const editor = useDocumentEditor(initial, form, timeZone);
  const { doc } = editor;
  const [signing, setSigning] = useState(false);
  const [printing, setPrinting] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);
  const problemsRef = useRef<HTMLDivElement>(null);
  const title = form.content.title;
  const today = usDate(todayIn(timeZone));

  useEffect(() => {
    document.title = `${title} – ${caseNumber} – CTS`;
  }, [title, caseNumber]);

  useEffect(() => {
    if (!printing) return;
    const done = () => setPrinting(false);
    window.addEventListener('afterprint', done);
    const timer = setTimeout(() => {
      window.print();
      done();
    }, 50);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('afterprint', done);
    };
  }, [printing]);

  const focusProblem = (path: string) => {
    if (path === SIGNATURE_PATH) {
      setSigning(true);
      setTimeout(() => document.getElementById(SIGNATURE_ID)?.focus(), 0);
      return;
    }
    focusField(pointerToPath(path));
  };

  const onSubmit = async () => {
    const problems = await editor.submit();
    if (problems.length > 0) {
      // The list is announced; the focus goes to the first field to fix.
      setTimeout(() => focusProblem(problems[0].path), 0);
    } else {
      setSigning(false);
      setHistoryKey((k) => k + 1);
      onDone?.();
    }
  };

  const readonly = !editor.editable || printing;
  const signatureError = editor.problems.find((p) => p.path === SIGNATURE_PATH)?.message;

  return (
    <Box component="article" aria-labelledby="document-title" className={printing ? 'printing' : undefined}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography id="document-title" variant="h5" component="h1">{title}</Typography>
        <Typography variant="subtitle1" component="p">
          {caseLabel} <Link to={`/cases/${doc.caseId}`}>{caseNumber}</Link>
        </Typography>
        <Chip label={doc.status} color={doc.stage === 'submitted' ? 'success' : 'default'} aria-label={`Status: ${doc.status}`} />
      </Box>
      <Box component="dl" sx={{ display: 'flex', gap: 3, flexWrap: 'wrap', my: 1, '& dt': { fontWeight: 600 }, '& dd': { m: 0 } }}>
        <div><dt>Started</dt><dd>{usDateTime(doc.createdAt, timeZone)}</dd></div>
        {doc.deliverable?.dueDate && <div><dt>Due</dt><dd>{usDate(doc.deliverable.dueDate)}</dd></div>}
        <div><dt>Completed</dt><dd>{doc.submittedAt ? usDateTime(doc.submittedAt, timeZone) : 'Not yet'}</dd></div>
        <div><dt>Last saved</dt><dd>{usDateTime(doc.updatedAt, timeZone)}{doc.updatedByName ? ` by ${doc.updatedByName}` : ''}</dd></div>
        {doc.signature && <div><dt>Signed</dt><dd>{doc.signature.signerName}, {usDateTime(doc.signature.signedAt, timeZone)}</dd></div>}
      </Box>

      {!editor.editable && (
        <Alert severity="info" className="no-print" sx={{ my: 1 }}>
          {doc.stage === 'submitted' ? 'This document has been submitted and is read-only.' : 'You may read this document but not change it.'}
        </Alert>
      )}
      {editor.notice && <Alert severity="info" role="status" onClose={editor.dismissNotice} sx={{ my: 1 }} className="no-print">{editor.notice}</Alert>}
      {editor.conflict && (
        <Alert
          severity="warning"
          role="alert"
          className="no-print"
          sx={{ my: 1 }}
          action={(
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
              <Button color="inherit" size="small" onClick={() => void editor.keepMine()}>Keep my changes</Button>
              <Button color="inherit" size="small" onClick={editor.reloadSaved}>Reload the saved version</Button>
            </Box>
          )}
        >
          {editor.conflict.message}
        </Alert>
      )}
      <FormError error={editor.saveError} />
      <div ref={problemsRef}>
        <ProblemList problems={editor.problems} onPick={focusProblem} />
      </div>

      <Paper sx={{ p: { xs: 1.5, md: 2 }, my: 1 }}>
        <FormView
          schema={renderSchema}
          uischema={form.content.uischema}
          data={editor.data}
          onChange={editor.setData}
          errors={editor.inlineErrors}
          readonly={readonly}
          caseId={doc.caseId}
          caseFiles={caseFiles}
          today={today}
        />
      </Paper>

      {editor.editable && signing && (
        <Paper sx={{ p: 2, my: 1 }} component="section" aria-labelledby="signature-heading" className="no-print">
          <Typography id="signature-heading" variant="h6" component="h2" gutterBottom>Signature</Typography>
          <SignatureField
            id={SIGNATURE_ID}
            label="Signature (your full name)"
            value={editor.signature}
            onChange={editor.setSignature}
            date={today}
            error={signatureError}
            required
          />
        </Paper>
      )}

      {editor.editable && (
        <Box className="no-print" sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', my: 2 }}>
          <Button variant="outlined" onClick={() => void editor.save().then((saved) => saved && onDone?.())} disabled={editor.saveState === 'saving'}>Save</Button>
          <Button
            variant="outlined"
            onClick={() => {
              setSigning(true);
              setTimeout(() => document.getElementById(SIGNATURE_ID)?.focus(), 0);
            }}
          >
            Sign
          </Button>
          <Button variant="contained" onClick={() => void onSubmit()} disabled={editor.submitting}>Submit</Button>
          <Button onClick={() => setPrinting(true)}>Print / PDF</Button>
          <Typography variant="body2" role="status" aria-live="polite" sx={{ ml: 1 }}>{SAVE_WORDS[editor.saveState]}</Typography>
        </Box>
      )}
      {!editor.editable && (
        <Box className="no-print" sx={{ my: 2 }}>
          <Button variant="outlined" onClick={() => setPrinting(true)}>Print / PDF</Button>
        </Box>
      )}

      <HistoryPanel documentId={doc._id} refreshKey={historyKey} timeZone={timeZone} />
    </Box>
  );
}
