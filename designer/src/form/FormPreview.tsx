/** The live preview: the form as JSON Forms (material renderers) draws it, validating the sample data typed in. */
import { Component, useMemo, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { createAjv } from '@jsonforms/core';
import { materialCells, materialRenderers } from '@jsonforms/material-renderers';
import { JsonForms } from '@jsonforms/react';
import type { FormParts } from './form-model';

class PreviewBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null; key: string }> {
  state = { error: null as Error | null, key: this.props.resetKey };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  render() {
    return this.state.error ? <Alert severity="error">The preview cannot draw this form: {this.state.error.message}</Alert> : this.props.children;
  }
}

export function FormPreview({ parts }: { parts: FormParts }) {
  const [data, setData] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<{ instancePath: string; message?: string }[]>([]);
  const ajv = useMemo(() => createAjv({ allErrors: true, strict: false }), []);
  const resetKey = useMemo(() => JSON.stringify(parts), [parts]);
  return (
    <Box component="section" aria-labelledby="preview-heading">
      <Typography id="preview-heading" variant="h6" component="h2">Preview</Typography>
      <Typography variant="body2" sx={{ mb: 1 }}>Type sample data: it is checked against the form as it would be on submit.</Typography>
      <Alert severity={errors.length ? 'warning' : 'success'} role="status" sx={{ mb: 1 }} aria-label="Sample data check">
        {errors.length === 0 ? 'The sample data is valid.' : `The sample data has ${errors.length} problem(s): ${errors.slice(0, 6).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}`}
      </Alert>
      <PreviewBoundary resetKey={resetKey}>
        <JsonForms
          schema={parts.schema}
          uischema={parts.uischema as any}
          data={data}
          renderers={materialRenderers}
          cells={materialCells}
          ajv={ajv}
          validationMode="ValidateAndShow"
          onChange={({ data: next, errors: found }) => { setData(next); setErrors((found ?? []) as any); }}
        />
      </PreviewBoundary>
    </Box>
  );
}
