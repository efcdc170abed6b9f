// node --import this: the built main bundle's `import ... from 'electron'` gets electron-stub.mjs
import { register } from 'node:module'

register('./resolve-electron.mjs', import.meta.url)
