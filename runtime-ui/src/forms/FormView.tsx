/**
 * The one JSON Forms set-up every generated form is drawn with: our renderer set, US dates
 * (MM/DD/YYYY), no validation of its own (the form's errors come from the shared validator and the
 * server, passed as `errors`), and a config the custom renderers read (the case, its files, today).
 */
import { useMemo, useRef } from 'react';
import { JsonForms } from '@jsonforms/react';
import type { JsonSchema, UISchemaElement } from '@jsonforms/core';
import type { FieldError } from '../api/client';
import { cells, renderers } from '../renderers';
import type { CaseFile } from '../renderers/FileControl';
import { toInlineErrors } from './validation';

/** JSON Forms types its errors with an older ajv's ErrorObject; the objects are the same at run time. */
type JsonFormsErrors = NonNullable<Parameters<typeof JsonForms>[0]['additionalErrors']>;

export interface FormViewProps {
  schema: object;
  uischema?: object;
  data: Record<string, any>;
  onChange(data: Record<string, any>): void;
  errors: FieldError[];
  readonly: boolean;
  caseId: string;
  caseFiles?: CaseFile[];
  /** Today as shown (MM/DD/YYYY), for signature fields. */
  today: string;
}

export function FormView({ schema, uischema, data, onChange, errors, readonly, caseId, caseFiles, today }: FormViewProps) {
  // JSON Forms re-applies its `data` prop whenever the errors or the config change identity, which
  // would drop typing it has not passed on yet: both are kept stable while their content is.
  const errorsKey = JSON.stringify(errors);
  const inlineErrors = useMemo(() => toInlineErrors(JSON.parse(errorsKey) as FieldError[]) as unknown as JsonFormsErrors, [errorsKey]);
  // Data JSON Forms reported itself can come back as a prop after the next keystroke on a busy
  // page; handing that older object back would undo the keystroke. Any object it reported stands
  // for the newest one it reported; data from outside (a reload, a restored copy, fields the
  // server computed) is passed on as it is.
  const reported = useRef(new WeakSet<object>());
  const newest = useRef<Record<string, any> | undefined>(undefined);
  const shown = newest.current && reported.current.has(data) ? newest.current : data;
  const config = useMemo(
    () => ({ dateFormat: 'MM/DD/YYYY', dateSaveFormat: 'YYYY-MM-DD', caseId, caseFiles, today, showUnfocusedDescription: false }),
    [caseId, caseFiles, today],
  );
  return (
    <JsonForms
      schema={schema as JsonSchema}
      uischema={uischema as UISchemaElement | undefined}
      data={shown}
      renderers={renderers}
      cells={cells}
      readonly={readonly}
      validationMode="NoValidation"
      additionalErrors={inlineErrors}
      config={config}
      onChange={({ data: next }) => {
        reported.current.add(next);
        newest.current = next;
        onChange(next);
      }}
    />
  );
}
