import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    // execa is ESM-only and is bundled; dockerode stays external (optional native parts)
    plugins: [externalizeDepsPlugin({ exclude: ['execa'] })],
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { electron: resolve('src-main/electron/main.ts') } },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/preload',
      // a sandboxed preload runs as a classic script: CommonJS, never ESM (.cjs because
      // package.json says "type": "module")
      rollupOptions: {
        input: { index: resolve('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // served over HTTP to browsers as well as loaded by the window: ship it minified
      minify: true,
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
})
