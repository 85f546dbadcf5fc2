/**
 * Service units as hours and minutes (HH:MM): a text field with an input mask (digits only, the
 * colon placed before the last two digits as you type: "130" → "1:30"). Stores the text the
 * schema asks for ("1:30"); the schema's pattern validates it.
 *
 * Tester: a string control whose schema pattern is the HH:MM pattern, or with `options.format: "hh:mm"`.
 */
import TextField from '@mui/material/TextField';
import { and, isStringControl, optionIs, or, rankWith, schemaMatches, type ControlProps } from '@jsonforms/core';
import { withJsonFormsControlProps } from '@jsonforms/react';
import { controlId, errorText } from './control-helpers';
import { HHMM_PATTERN, maskHhmm } from './hhmm';

function HhmmControl({ data, handleChange, path, label, required, errors, enabled, visible, description }: ControlProps) {
  if (!visible) return null;
  const id = controlId(path);
  const problem = errorText(errors);
  return (
    <TextField
      id={id}
      label={label}
      required={required}
      value={data ?? ''}
      disabled={!enabled}
      error={!!problem}
      helperText={problem || description || 'Hours and minutes, e.g. 1:30'}
      placeholder="H:MM"
      fullWidth
      slotProps={{ htmlInput: { inputMode: 'numeric', 'data-path': path, autoComplete: 'off' } }}
      onChange={(e) => handleChange(path, maskHhmm(e.target.value) || undefined)}
    />
  );
}

export const hhmmTester = rankWith(6, and(isStringControl, or(optionIs('format', 'hh:mm'), schemaMatches((s) => s.pattern === HHMM_PATTERN))));
export const HhmmRenderer = withJsonFormsControlProps(HhmmControl);
