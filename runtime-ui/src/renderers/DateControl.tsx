/**
 * Dates: a MUI date picker in the county's US format (MM/DD/YYYY), stored as the schema's
 * YYYY-MM-DD. It replaces JSON Forms' material date control, which loses typing: that control
 * stores each valid value while the year is typed digit by digit (0002, 0020, ...; "0020" reads
 * back as 1920) and, on leaving a half-typed field, empties and remounts it. Here only a full date
 * with a four-digit year is stored, clearing the field stores nothing, and the field is never
 * remounted, so what was typed stays on screen until it is a date.
 *
 * Tester: every date control, above the material one.
 */
import { useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import FormHelperText from '@mui/material/FormHelperText';
import { AdapterDayjs } from '@mui/x-date-pickers/AdapterDayjs';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { isDateControl, rankWith, type ControlProps } from '@jsonforms/core';
import { withJsonFormsControlProps } from '@jsonforms/react';
import { errorText } from './control-helpers';

const SAVE_FORMAT = 'YYYY-MM-DD';

const stored = (data: unknown): Dayjs | null => (typeof data === 'string' && dayjs(data, SAVE_FORMAT).isValid() ? dayjs(data, SAVE_FORMAT) : null);

function DateControl({ data, handleChange, path, id, label, required, errors, enabled, visible, description, config, uischema }: ControlProps) {
  // The picker shows its own value while a date is being typed: a partial date such as year 0002
  // is valid to the picker but not stored, and handing the picker the stored value back then
  // would clear the sections typed so far. A stored value that changes from outside wins.
  const [draft, setDraft] = useState<{ shown: Dayjs | null; from: unknown }>({ shown: stored(data), from: data });
  const shown = draft.from === data ? draft.shown : stored(data);
  if (!visible) return null;
  const options = { ...config, ...uischema.options };
  const problem = errorText(errors);
  const change = (next: Dayjs | null) => {
    const full = next?.isValid() && next.year() >= 1000 ? next.format(SAVE_FORMAT) : undefined;
    const value = next === null ? undefined : full ?? data;
    setDraft({ shown: next, from: value });
    if (next === null) handleChange(path, undefined);
    else if (full) handleChange(path, full);
  };
  return (
    <LocalizationProvider dateAdapter={AdapterDayjs}>
      <DatePicker
        label={label}
        value={shown}
        onChange={change}
        format={options.dateFormat ?? 'MM/DD/YYYY'}
        disabled={!enabled}
        slotProps={{ textField: { id: `${id}-input`, required, error: !!problem, fullWidth: true } }}
      />
      <FormHelperText error={!!problem}>{problem || description}</FormHelperText>
    </LocalizationProvider>
  );
}

export const dateTester = rankWith(5, isDateControl);
export const DateRenderer = withJsonFormsControlProps(DateControl);
