import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The engine serves dist/ at "/" and proxies nothing: in `npm run dev -w runtime-ui` the API is
// proxied to a running engine (ENGINE_URL, default http://127.0.0.1:3000).
export default defineConfig({
  plugins: [react()],
  // The manifest lists each entry chunk's static imports: test/e2e/bundle-size.test.ts measures the initial JavaScript from it.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, manifest: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': process.env.ENGINE_URL ?? 'http://127.0.0.1:3000', '/demo': process.env.ENGINE_URL ?? 'http://127.0.0.1:3000' } },
});
