/**
 * The detail of one user account (the slides' "Advocate Detail"): login e-mail, names, contact #,
 * the further fields the administration rules name (e.g. FRP areas from a lookup), roles when the
 * admin may give several, Active and Locked. Unchecking Active deactivates (and signs the user out),
 * unchecking Locked unlocks. A new account gets a generated password: shown once, or e-mailed.
 */
import { useEffect, useState, type FormEvent } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ApiError } from '../../api/client';
import { FormError } from '../../app/FormError';
import { adminApi, type Account, type AccountField, type Administration, type Delivery, type Handout, type LookupItem } from './admin-api';

interface Props {
  administration: Administration;
  /** The account to edit; null to add one. */
  account: Account | null;
  /** What new accounts are called ("Advocate", or "User"). */
  noun: string;
  onClose(changed: boolean): void;
}

interface Draft {
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  roles: string;
  fields: Record<string, unknown>;
  active: boolean;
  locked: boolean;
}

function draftOf(account: Account | null, administration: Administration): Draft {
  const givable = administration.roles === '*' ? [] : administration.roles;
  return {
    email: account?.email ?? '',
    firstName: account?.firstName ?? '',
    lastName: account?.lastName ?? '',
    phone: account?.phone ?? '',
    roles: (account?.roles ?? (givable.length === 1 ? givable : [])).join(', '),
    fields: Object.fromEntries(administration.fields.map((f) => [f.attribute, account?.attributes[f.attribute] ?? (f.multiple ? [] : '')])),
    active: account?.active ?? true,
    locked: account?.locked ?? false,
  };
}

/** The message of a field error at `pointer`, for the field's helper text. */
function fieldError(error: unknown, pointer: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.errors.find((e) => e.path === pointer || e.path.startsWith(`${pointer}/`))?.message;
}

export function AccountDialog({ administration, account, noun, onClose }: Props) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(account, administration));
  const [delivery, setDelivery] = useState<Delivery>('show');
  const [lookups, setLookups] = useState<Record<string, LookupItem[]>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [handout, setHandout] = useState<Handout | null>(null);
  const [changed, setChanged] = useState(false);
  const isNew = account === null;
  const rolesEditable = administration.roles === '*' || administration.roles.length > 1;

  useEffect(() => {
    for (const field of administration.fields) {
      if (field.lookup) adminApi.lookup(field.lookup).then((l) => setLookups((all) => ({ ...all, [field.attribute]: l.items.filter((i) => !i.retired) })), setError);
    }
  }, [administration]);

  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));
  const roles = () => draft.roles.split(',').map((r) => r.trim()).filter(Boolean);
  // The admin's fields over the account's other attributes; an emptied text removes its attribute.
  const attributes = () => {
    const result: Record<string, unknown> = { ...(account?.attributes ?? {}) };
    for (const [name, v] of Object.entries(draft.fields)) {
      if (v === '') delete result[name];
      else result[name] = v;
    }
    return result;
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const common = { firstName: draft.firstName, lastName: draft.lastName, roles: roles(), attributes: attributes() };
      if (isNew) {
        const created = await adminApi.create({ ...common, email: draft.email, ...(draft.phone ? { phone: draft.phone } : {}), delivery });
        setChanged(true);
        setHandout(created);
        return;
      }
      await adminApi.update(account.id, { ...common, phone: draft.phone });
      if (account.active && !draft.active) await adminApi.deactivate(account.id);
      else if (!account.active && draft.active) await adminApi.update(account.id, { active: true });
      if (account.locked && !draft.locked) await adminApi.unlock(account.id);
      onClose(true);
    } catch (e) {
      setError(e);
      // Focus the first field the server named, so the user sees what to fix.
      if (e instanceof ApiError && e.errors[0]) document.querySelector<HTMLElement>(`[data-pointer="${e.errors[0].path.split('/').slice(0, 2).join('/')}"] input`)?.focus();
    } finally {
      setBusy(false);
    }
  };

  const reset = async (how: Delivery) => {
    if (!account) return;
    setBusy(true);
    setError(null);
    try {
      setHandout(await adminApi.resetPassword(account.id, how));
      setChanged(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const title = isNew ? `Add ${noun}` : `${noun} Detail`;
  return (
    <Dialog open onClose={() => onClose(changed)} aria-labelledby="account-dialog-title" fullWidth maxWidth="sm">
      <form onSubmit={save} noValidate>
        <DialogTitle id="account-dialog-title">{title}</DialogTitle>
        <DialogContent>
          {handout && (
            <Alert severity="success" role="status" sx={{ mb: 2 }}>
              {handout.temporaryPassword
                ? <>Temporary password for {handout.account.email} (shown only now; the user must change it at first sign-in): <strong data-testid="temporary-password">{handout.temporaryPassword}</strong></>
                : <>An e-mail went to {handout.account.email}{isNew ? ' with the temporary password.' : ' with a link to choose a new password.'}</>}
            </Alert>
          )}
          <FormError error={error} />
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField label="Login ID (e-mail)" type="email" required value={draft.email} disabled={!isNew || !!handout} onChange={(e) => set({ email: e.target.value })}
              data-pointer="/email" error={!!fieldError(error, '/email')} helperText={fieldError(error, '/email')} autoFocus={isNew} />
            <TextField label="Last Name" required value={draft.lastName} disabled={!!handout && isNew} onChange={(e) => set({ lastName: e.target.value })}
              data-pointer="/lastName" error={!!fieldError(error, '/lastName')} helperText={fieldError(error, '/lastName')} />
            <TextField label="First Name" required value={draft.firstName} disabled={!!handout && isNew} onChange={(e) => set({ firstName: e.target.value })}
              data-pointer="/firstName" error={!!fieldError(error, '/firstName')} helperText={fieldError(error, '/firstName')} />
            <TextField label="Contact #" value={draft.phone} disabled={!!handout && isNew} onChange={(e) => set({ phone: e.target.value })} inputProps={{ inputMode: 'tel' }}
              data-pointer="/phone" error={!!fieldError(error, '/phone')} helperText={fieldError(error, '/phone')} />
            {rolesEditable && (
              <TextField label="Roles (separated by commas)" required value={draft.roles} disabled={!!handout && isNew} onChange={(e) => set({ roles: e.target.value })}
                data-pointer="/roles" error={!!fieldError(error, '/roles')}
                helperText={fieldError(error, '/roles') ?? (administration.roles === '*' ? 'Any role' : `You may give: ${administration.roles.join(', ')}`)} />
            )}
            {administration.fields.map((field) => (
              <AttributeField key={field.attribute} field={field} items={lookups[field.attribute]} value={draft.fields[field.attribute]} disabled={!!handout && isNew}
                error={fieldError(error, `/attributes/${field.attribute}`)} onChange={(v) => set({ fields: { ...draft.fields, [field.attribute]: v } })} />
            ))}
            {Object.entries(administration.fixedAttributes).map(([name, value]) => (
              <Typography key={name} variant="body2">{name}: {String(value)}</Typography>
            ))}
            {isNew ? (
              !handout && (
                <div>
                  <FormLabel id="delivery-label">Temporary password</FormLabel>
                  <RadioGroup aria-labelledby="delivery-label" value={delivery} onChange={(e) => setDelivery(e.target.value as Delivery)}>
                    <FormControlLabel value="show" control={<Radio />} label="Show it to me once" />
                    <FormControlLabel value="email" control={<Radio />} label="E-mail it to the user" />
                  </RadioGroup>
                </div>
              )
            ) : (
              <FormGroup row>
                <FormControlLabel control={<Checkbox checked={draft.active} onChange={(e) => set({ active: e.target.checked })} />} label="Active" />
                <FormControlLabel control={<Checkbox checked={draft.locked} disabled={!account.locked} onChange={(e) => set({ locked: e.target.checked })} />} label="Locked" />
              </FormGroup>
            )}
          </Stack>
        </DialogContent>
        <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
          {!isNew && (
            <>
              <Button onClick={() => void reset('show')} disabled={busy}>Reset password</Button>
              <Button onClick={() => void reset('email')} disabled={busy}>E-mail reset link</Button>
            </>
          )}
          <Button onClick={() => onClose(changed)}>{handout && isNew ? 'Close' : 'Cancel'}</Button>
          {!(handout && isNew) && <Button type="submit" variant="contained" disabled={busy}>{isNew ? 'Add' : 'Save'}</Button>}
        </DialogActions>
      </form>
    </Dialog>
  );
}

function AttributeField({ field, items, value, disabled, error, onChange }: {
  field: AccountField;
  items?: LookupItem[];
  value: unknown;
  disabled: boolean;
  error?: string;
  onChange(value: unknown): void;
}) {
  if (field.lookup && field.multiple) {
    const chosen = Array.isArray(value) ? (value as string[]) : [];
    return (
      <fieldset style={{ border: 0, padding: 0, margin: 0 }} data-pointer={`/attributes/${field.attribute}`}>
        <FormLabel component="legend">{field.title}</FormLabel>
        <FormGroup row>
          {(items ?? []).map((item) => (
            <FormControlLabel key={item.code} label={item.code === item.label ? item.label : `${item.code} (${item.label})`} disabled={disabled}
              control={<Checkbox checked={chosen.includes(item.code)} onChange={(e) => onChange(e.target.checked ? [...chosen, item.code] : chosen.filter((c) => c !== item.code))} />} />
          ))}
        </FormGroup>
        {error && <Typography color="error" variant="caption">{error}</Typography>}
      </fieldset>
    );
  }
  if (field.lookup) {
    return (
      <TextField select label={field.title} value={typeof value === 'string' ? value : ''} disabled={disabled} onChange={(e) => onChange(e.target.value)}
        SelectProps={{ native: true }} error={!!error} helperText={error} data-pointer={`/attributes/${field.attribute}`}>
        <option value="" />
        {(items ?? []).map((item) => <option key={item.code} value={item.code}>{item.label}</option>)}
      </TextField>
    );
  }
  return (
    <TextField label={field.title} value={typeof value === 'string' ? value : ''} disabled={disabled} onChange={(e) => onChange(e.target.value)}
      error={!!error} helperText={error} data-pointer={`/attributes/${field.attribute}`} />
  );
}
