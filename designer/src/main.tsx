import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
// The runtime UI's foundation: one API client, router, session and theme for both apps.
import { RouterProvider } from '../../runtime-ui/src/app/router';
import { SessionProvider } from '../../runtime-ui/src/app/session';
import { theme } from '../../runtime-ui/src/app/theme';
import '../../runtime-ui/src/global.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <RouterProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </RouterProvider>
    </ThemeProvider>
  </StrictMode>,
);
