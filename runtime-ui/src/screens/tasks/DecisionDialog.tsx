/**
 * Records a decision on a task: a reason where the task requires one (the dialog refuses an
 * empty one), and a choice for each value the decision carries (GET /api/tasks/:id/choices).
 * A task someone else already completed answers 409 with who did it; the dialog says so.
 */
import { useEffect, useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { api, ApiError } from '../../api/client';
import { FormError } from '../../app/FormError';
import { decisionLabel, tasksChanged, type TaskRecord } from './tasks';

interface Choice { decision: string; name: string; label: string; options: { value: string; label: string }[] }

export function DecisionDialog({ task, decision, caseLabel, onClose }: { task: TaskRecord; decision: string; caseLabel?: string; onClose: () => void }) {
  const needsReason = task.reasonRequiredOn.includes(decision);
  const [choices, setChoices] = useState<Choice[] | null>(task.inputs?.some((i) => i.decision === decision) ? null : []);
  const [values, setValues] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (choices !== null) return;
    api.get<Choice[]>(`/api/tasks/${task._id}/choices`).then((all) => setChoices(all.filter((c) => c.decision === decision)), setError);
  }, [task._id, decision, choices]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const absent: Record<string, boolean> = {};
    if (needsReason && reason.trim() === '') absent.reason = true;
    for (const choice of choices ?? []) if (!values[choice.name]) absent[choice.name] = true;
    setMissing(absent);
    if (Object.keys(absent).length > 0) {
      document.getElementById(`decision-${Object.keys(absent)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/tasks/${task._id}/complete`, {
        decision,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...((choices ?? []).length > 0 ? { data: values } : {}),
      });
      tasksChanged();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setConflict(e.message);
        tasksChanged();
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby="decision-title" fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id="decision-title">{decisionLabel(decision)}: {task.name}{caseLabel ? ` (${caseLabel})` : ''}</DialogTitle>
        <DialogContent>
          {conflict ? <Alert severity="warning" role="alert">{conflict}</Alert> : (
            <Stack spacing={2} sx={{ pt: 1 }}>
              <FormError error={error} />
              {(choices ?? []).map((choice) => (
                <TextField
                  key={choice.name} id={`decision-${choice.name}`} select required label={choice.label}
                  value={values[choice.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [choice.name]: e.target.value })}
                  error={!!missing[choice.name]}
                  helperText={missing[choice.name] ? `Choose the ${choice.label.toLowerCase()}` : choice.options.length === 0 ? 'There is nobody to choose from' : ' '}
                >
                  {choice.options.map((o) => <MenuItem key={o.value} value={o.value}>{o.label}</MenuItem>)}
                </TextField>
              ))}
              {(needsReason || decision !== 'approve') && (
                <TextField
                  id="decision-reason" label="Reason" required={needsReason} multiline minRows={3}
                  value={reason} onChange={(e) => setReason(e.target.value)} inputProps={{ maxLength: 4000 }}
                  error={!!missing.reason}
                  helperText={missing.reason ? 'A reason is required: say what needs to change' : needsReason ? 'Required' : 'Optional'}
                />
              )}
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{conflict ? 'Close' : 'Cancel'}</Button>
          {!conflict && <Button type="submit" variant="contained" disabled={busy || choices === null}>{decisionLabel(decision)}</Button>}
        </DialogActions>
      </form>
    </Dialog>
  );
}
