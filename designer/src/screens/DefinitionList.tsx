/** The published definitions of one kind (latest versions), each opening its editor. */
import { useEffect, useState } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { FormError } from '../../../runtime-ui/src/app/FormError';
import { Link } from '../../../runtime-ui/src/app/router';
import { definitionsApi, type Definition, type Kind } from '../app/definitions';
import { formatDateTime, useCountyTimeZone } from '../app/format';

export function DefinitionList({ kind, title, link }: { kind: Kind; title: string; link: (key: string) => string }) {
  const [items, setItems] = useState<Definition[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timeZone = useCountyTimeZone();
  useEffect(() => {
    definitionsApi.list(kind).then(setItems, setError);
  }, [kind]);
  return (
    <>
      <Typography variant="h5" component="h1" gutterBottom>{title}</Typography>
      <FormError error={error} />
      <Table size="small" aria-label={title} sx={{ bgcolor: 'background.paper' }}>
        <TableHead>
          <TableRow><TableCell>Key</TableCell><TableCell>Title</TableCell><TableCell>Version</TableCell><TableCell>Published</TableCell><TableCell>By</TableCell></TableRow>
        </TableHead>
        <TableBody>
          {items?.map((d) => (
            <TableRow key={d.key}>
              <TableCell><Link to={link(d.key)}>{d.key}</Link></TableCell>
              <TableCell>{d.content?.title ?? d.content?.name ?? ''}</TableCell>
              <TableCell>{d.version}</TableCell>
              <TableCell>{formatDateTime(d.publishedAt, timeZone)}</TableCell>
              <TableCell>{d.publishedBy}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
