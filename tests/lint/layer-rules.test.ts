// The layer rules of eslint.config.js, run by ESLint itself on imports each layer must refuse,
// static and dynamic, and on those it must let through.
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint()
})

/** the rules that fired on `code` as if it were the file at `path` */
async function refusals(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => `${m.line}: ${m.message}`)
}

describe('layer rules', () => {
  it.each([
    ['src-main/core/x.ts', "export const a = () => import('../api/server')"],
    ['src-main/core/x.ts', "export const a = () => import('../cli/deep/file')"],
    ['src-main/core/x.ts', "export const a = () => import('electron')"],
    ['src-main/api/x.ts', "export { registerRunCommand } from '../cli/run-command'"],
    ['src-main/api/x.ts', "export const a = () => import('../cli/run-command')"],
    ['src-main/electron/x.ts', "export { App } from '../../src-renderer/components/App'"],
    ['src-main/electron/x.ts', "export const a = () => import('../../src-renderer/components/App')"],
    ['src-main/preload/x.ts', "export { Session } from '../core/session'"],
    ['src-main/preload/x.ts', "export const a = () => import('node:fs')"],
    ['src-main/preload/x.ts', "export const a = () => import('fs')"],
    ['src-shared/x.ts', "export const a = () => import('fs/promises')"],
    ['src-renderer/x.ts', "export const a = () => import('../src-main/core/session')"],
  ])('%s refuses %s', async (path, code) => {
    expect(await refusals(path, code)).toHaveLength(1)
  })

  it.each([
    ['src-main/core/x.ts', "export const a = () => import('./docker/docker-runner')"],
    ['src-main/cli/x.ts', "export { startApiServer } from '../api/server'"],
    ['src-main/preload/x.ts', "export { contextBridge } from 'electron'\nexport type { ErrorData } from '../../src-shared/errors'"],
    ['src-main/electron/x.ts', "export { Session } from '../core/session'"],
  ])('%s lets through %s', async (path, code) => {
    expect(await refusals(path, code)).toEqual([])
  })
})
