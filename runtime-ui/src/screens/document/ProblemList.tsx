/** What must be fixed before the document can be submitted: one link per field, which moves the focus there. */
import Alert from '@mui/material/Alert';
import type { FieldError } from '../../api/client';

export function ProblemList({ problems, onPick }: { problems: FieldError[]; onPick(path: string): void }) {
  if (problems.length === 0) return null;
  return (
    <Alert severity="error" role="alert" sx={{ my: 1 }} aria-labelledby="problems-heading">
      <strong id="problems-heading">
        {problems.length === 1 ? '1 field needs your attention' : `${problems.length} fields need your attention`} before the document can be submitted:
      </strong>
      <ul style={{ margin: '4px 0 0', paddingLeft: 18 }} aria-label="Fields to fix">
        {problems.map((p) => (
          <li key={p.path + p.message}>
            <a
              href={`#${p.path}`}
              onClick={(e) => {
                e.preventDefault();
                onPick(p.path);
              }}
            >
              {p.message}
            </a>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
