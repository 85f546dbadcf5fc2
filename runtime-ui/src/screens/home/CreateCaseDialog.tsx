/**
 * Opens a case: asks the case data fields the listing's `create.fields` names (as the case schema
 * types them: choices for enums, dates, text), refuses an empty required one naming it and focusing
 * it, and puts the creator on the case in each of their roles the case type has (so the processes
 * route its tasks and e-mails to them). Then the case's first form, if the listing names one.
 */
import { useState, type FormEvent } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { api } from '../../api/client';
import { FormError } from '../../app/FormError';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import type { CaseType } from './definitions';

export function CreateCaseDialog({ caseType, onClose }: { caseType: CaseType; onClose: () => void }) {
  const session = useSession();
  const create = caseType.listing!.create!;
  const fields = create.fields ?? [];
  const required = new Set<string>(caseType.schema?.required ?? []);
  const [values, setValues] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const title = (field: string) => caseType.schema?.properties?.[field]?.title ?? field;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const absent = fields.filter((f) => required.has(f) && !values[f]?.trim());
    setMissing(absent);
    if (absent.length > 0) {
      document.getElementById(`create-${absent[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const data = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
      const roles = session.principal?.roles.filter((r) => (caseType.roles ?? []).includes(r)) ?? [];
      const people = roles.map((role) => ({ role, userId: session.principal!.userId }));
      const opened = await api.post(`/api/cases`, { caseType: caseType.key, data, people });
      if (!create.form) return navigate(`/cases/${opened._id}`);
      const draft = await api.post(`/api/cases/${opened._id}/documents`, { form: create.form });
      navigate(`/documents/${draft._id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby="create-title" fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="create-title">{create.label}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <FormError error={error} />
            {fields.map((field) => {
              const property = caseType.schema?.properties?.[field] ?? {};
              const isMissing = missing.includes(field);
              return (
                <TextField
                  key={field} id={`create-${field}`} label={title(field)} required={required.has(field)} size="small"
                  select={Array.isArray(property.enum)} type={property.format === 'date' ? 'date' : 'text'}
                  slotProps={property.format === 'date' ? { inputLabel: { shrink: true } } : undefined}
                  value={values[field] ?? ''} onChange={(e) => { setValues({ ...values, [field]: e.target.value }); setMissing(missing.filter((m) => m !== field)); }}
                  error={isMissing} helperText={isMissing ? `${title(field)} is required` : undefined}
                >
                  {Array.isArray(property.enum) ? [<MenuItem key="" value=""><em>None</em></MenuItem>, ...property.enum.map((v: string) => <MenuItem key={v} value={v}>{v}</MenuItem>)] : undefined}
                </TextField>
              );
            })}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy}>{busy ? 'Opening…' : create.label}</Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
