/**
 * The one JSON Forms set-up every generated form is drawn with: our renderer set, US dates
 * (MM/DD/YYYY), no validation of its own (the form's errors come from the shared validator and the
 * server, passed as `errors`), and a config the custom renderers read (the case, its files, today).
 */
import { useCallback, useMemo, useRef } from 'react';
import { JsonForms } from '@jsonforms/react';
import { UPDATE_CORE, type JsonSchema, type Middleware, type UISchemaElement } from '@jsonforms/core';
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
  // JSON Forms reports its data 10 ms after a change (debounced), and re-applies its `data` prop
  // whenever that prop changes: on a busy page an object it reported comes back after the next
  // keystroke, and applying it would undo that keystroke. Its own reported data coming back never
  // replaces what it holds; data from outside (a reload, a restored copy, fields the server
  // computed) is applied as it is.
  const reported = useRef(new WeakSet<object>());
  const middleware = useCallback<Middleware>((state, action, reducer) => (
    action.type === UPDATE_CORE && reported.current.has(action.data) ? reducer(state, { ...action, data: state.data }) : reducer(state, action)
  ), []);
  const config = useMemo(
    () => ({ dateFormat: 'MM/DD/YYYY', dateSaveFormat: 'YYYY-MM-DD', caseId, caseFiles, today, showUnfocusedDescription: false }),
    [caseId, caseFiles, today],
  );
  return (
    <JsonForms
      schema={schema as JsonSchema}
      uischema={uischema as UISchemaElement | undefined}
      data={data}
      middleware={middleware}
      renderers={renderers}
      cells={cells}
      readonly={readonly}
      validationMode="NoValidation"
      additionalErrors={inlineErrors}
      config={config}
      onChange={({ data: next }) => {
        reported.current.add(next);
        onChange(next);
      }}
    />
  );
}
