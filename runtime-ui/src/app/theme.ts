import { createTheme } from '@mui/material/styles';

// County colours with text contrast of at least 4.5:1 (WCAG AA) on white and on the primary colour.
export const theme = createTheme({
  palette: {
    primary: { main: '#1f4e79' },
    secondary: { main: '#7a3e00' },
    error: { main: '#b00020' },
    warning: { main: '#8a5300' },
  },
  typography: { fontSize: 14 },
  components: {
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiTextField: { defaultProps: { size: 'small' } },
    // Unselected tabs on the primary bar (a form's sections) at MUI's 0.6 opacity fall below 4.5:1.
    MuiTab: { styleOverrides: { textColorInherit: { opacity: 0.85 } } },
  },
});
