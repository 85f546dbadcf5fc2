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
import dayjs, { type Dayjs } from 'dayjs';
import FormHelperText from '@mui/material/FormHelperText';
import { AdapterDayjs } from '@mui/x-date-pickers/AdapterDayjs';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { LocalizationProvider } from '@mui/x-date-pickers/LocalizationProvider';
import { isDateControl, rankWith, type ControlProps } from '@jsonforms/core';
import { withJsonFormsControlProps } from '@jsonforms/react';
import { errorText } from './control-helpers';

const SAVE_FORMAT = 'YYYY-MM-DD';

function DateControl({ data, handleChange, path, id, label, required, errors, enabled, visible, description, config, uischema }: ControlProps) {
  if (!visible) return null;
  const options = { ...config, ...uischema.options };
  const problem = errorText(errors);
  const value = typeof data === 'string' && dayjs(data, SAVE_FORMAT).isValid() ? dayjs(data, SAVE_FORMAT) : null;
  const change = (next: Dayjs | null) => {
    if (next === null) handleChange(path, undefined);
    else if (next.isValid() && next.year() >= 1000) handleChange(path, next.format(SAVE_FORMAT));
  };
  return (
    <LocalizationProvider dateAdapter={AdapterDayjs}>
      <DatePicker
        label={label}
        value={value}
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
