// The renderer alone, with the same settings as electron.vite.config.ts: lets the browser
// tests build the dashboard on a machine where the Electron parts are not buildable.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  root: resolve('src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve('out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
  },
})
