/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies the API to a running backend so cookies stay same-origin.
const backend = process.env.RLHF_BASE_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  base: './',
  server: { proxy: { '/api': backend, '/q': backend } },
  // `vite preview` serves the built app the same way, for e2e runs against a backend that does not serve it yet.
  preview: { proxy: { '/api': backend, '/q': backend } },
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 900 },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
