/** Starts a browser app (the runtime UI or the designer) inside the shared frame: theme, router, session. */
import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { RouterProvider } from './router';
import { SessionProvider } from './session';
import { theme } from './theme';
import '../global.css';

export function mountApp(App: ComponentType) {
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
}
