/** Shows what went wrong, with each field the server named, in a live region screen readers announce. */
import Alert from '@mui/material/Alert';
import { ApiError } from '../api/client';

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.errors : [];
  return (
    <Alert severity="error" role="alert" sx={{ my: 1 }}>
      {message}
      {fields.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {fields.map((f) => (
            <li key={f.path + f.message}>{f.path ? `${f.path}: ` : ''}{f.message}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
