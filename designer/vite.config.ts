import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The engine serves dist/ at "/designer/". The app reuses the runtime UI's API client, router and
// session (../runtime-ui/src) and the engine's moddle descriptor (../engine/src/bpmn), so the
// dev server may read the parent folder. In `npm run dev -w designer` the API is proxied to a
// running engine (ENGINE_URL, default http://127.0.0.1:3000).
const engine = process.env.ENGINE_URL ?? 'http://127.0.0.1:3000';
export default defineConfig({
  base: '/designer/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2500 },
  server: { fs: { allow: ['..'] }, proxy: { '/api': engine } },
});
