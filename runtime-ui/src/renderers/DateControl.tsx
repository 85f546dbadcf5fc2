/**
 * Dates: JSON Forms' material date picker, except that it keeps a year still being typed. The
 * picker reports every valid value while the year is typed digit by digit (0002, 0020, 0202,
 * 2026); stored, "0020-11-05" reads back as 1920 (JavaScript dates take years 0-99 as 19xx),
 * the picker takes that value and the remaining digits land in a changed field. Years before
 * 1000 are therefore not passed on: the field keeps the typing and the full year is stored.
 */
import { isDateControl, rankWith, type ControlProps } from '@jsonforms/core';
import { withJsonFormsControlProps } from '@jsonforms/react';
import { Unwrapped } from '@jsonforms/material-renderers';

const PARTIAL_YEAR = /^0\d{3}-/;

function DateControl(props: ControlProps) {
  const { handleChange } = props;
  const keepTyping = (path: string, value: unknown) => {
    if (typeof value === 'string' && PARTIAL_YEAR.test(value)) return;
    handleChange(path, value);
  };
  return <Unwrapped.MaterialDateControl {...props} handleChange={keepTyping} />;
}

export const dateTester = rankWith(5, isDateControl); // above the material date control (4)
export const DateRenderer = withJsonFormsControlProps(DateControl);
