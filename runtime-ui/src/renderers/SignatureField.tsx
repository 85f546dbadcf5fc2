/**
 * A typed signature: the signer types their name; the date of signing is shown beside it. Used by
 * the document screen's Sign step and, as a JSON Forms renderer, by any form field with
 * `options.format: "signature"` (the field stores the typed name).
 */
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { and, isStringControl, optionIs, rankWith, type ControlProps } from '@jsonforms/core';
import { withJsonFormsControlProps } from '@jsonforms/react';
import { controlId, errorText } from './control-helpers';

export interface SignatureFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  /** The signing date as shown (MM/DD/YYYY). */
  date: string;
  error?: string;
  hint?: string;
  disabled?: boolean;
  required?: boolean;
}

export function SignatureField({ id, label, value, onChange, date, error, hint, disabled, required }: SignatureFieldProps) {
  return (
    <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <TextField
        id={id}
        label={label}
        value={value}
        required={required}
        disabled={disabled}
        error={!!error}
        helperText={error || hint || 'Type your full name to sign'}
        onChange={(e) => onChange(e.target.value)}
        slotProps={{ htmlInput: { autoComplete: 'name', style: { fontFamily: '"Brush Script MT", "Segoe Script", cursive', fontSize: '1.25rem' } } }}
        sx={{ minWidth: 280, flexGrow: 1 }}
      />
      <Typography variant="body2" sx={{ pt: 2 }} aria-live="polite">Date signed: {date}</Typography>
    </Box>
  );
}

function SignatureControl({ data, handleChange, path, label, errors, enabled, visible, required, config }: ControlProps) {
  if (!visible) return null;
  return (
    <SignatureField
      id={controlId(path)}
      label={label}
      value={data ?? ''}
      onChange={(v) => handleChange(path, v || undefined)}
      date={(config?.today as string | undefined) ?? ''}
      error={errorText(errors)}
      disabled={!enabled}
      required={required}
    />
  );
}

export const signatureTester = rankWith(6, and(isStringControl, optionIs('format', 'signature')));
export const SignatureRenderer = withJsonFormsControlProps(SignatureControl);
