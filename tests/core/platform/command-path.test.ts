// A command is found as the system's own launcher finds it: execvp's rules on POSIX (real files
// here), PATH and PATHEXT on Windows (npm means npm.cmd; through a stand-in file system, as no
// Windows machine runs these tests).
import { afterEach, describe, expect, it } from 'vitest'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveCommand, type FileSystemProbe } from '../../../src-main/core/platform/command-path'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function folderWith(files: Record<string, number>): string {
  const folder = mkdtempSync(join(tmpdir(), 'micronetes-path-'))
  folders.push(folder)
  for (const [name, mode] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true })
    writeFileSync(join(folder, name), '#!/bin/sh\n')
    chmodSync(join(folder, name), mode)
  }
  return folder
}

describe('resolveCommand on POSIX', () => {
  it('takes the first executable file of PATH, skipping one that cannot run', () => {
    const a = folderWith({ tool: 0o644 })
    const b = folderWith({ tool: 0o755 })
    expect(resolveCommand('tool', { cwd: '/', env: { PATH: `${a}:${b}` }, platform: 'linux' })).toBe(join(b, 'tool'))
  })

  it('says not found, or permission denied when only a non-executable file has the name', () => {
    const a = folderWith({ tool: 0o644 })
    expect(() => resolveCommand('absent', { cwd: '/', env: { PATH: a }, platform: 'linux' })).toThrow('cannot start "absent": not found (is it installed and on PATH?)')
    expect(() => resolveCommand('tool', { cwd: '/', env: { PATH: a }, platform: 'linux' })).toThrow('cannot start "tool": permission denied (is it executable?)')
  })

  it('reads a name with a slash as a path from the working directory, never from PATH', () => {
    const cwd = folderWith({ 'bin/tool': 0o755 })
    const other = folderWith({ tool: 0o755 })
    expect(resolveCommand('./bin/tool', { cwd, env: { PATH: other }, platform: 'linux' })).toBe(join(cwd, 'bin', 'tool'))
    expect(() => resolveCommand('./tool', { cwd, env: { PATH: other }, platform: 'linux' })).toThrow('not found')
  })
})

describe('resolveCommand on Windows', () => {
  const files = (...paths: string[]): FileSystemProbe => ({ kind: (path) => (paths.includes(path) ? 'executable' : undefined) })
  const env = { Path: 'C:\\Program Files\\nodejs;C:\\Windows\\System32', PATHEXT: '.COM;.EXE;.BAT;.CMD' }

  it('finds npm as npm.cmd through PATH (spelled Path) and PATHEXT', () => {
    const found = resolveCommand('npm', { cwd: 'C:\\app', env, platform: 'win32', files: files('C:\\Program Files\\nodejs\\npm.cmd') })
    expect(found).toBe('C:\\Program Files\\nodejs\\npm.cmd')
  })

  it('takes the extensions in PATHEXT order and the working directory first, as cmd.exe does', () => {
    const probe = files('C:\\Program Files\\nodejs\\tool.exe', 'C:\\Program Files\\nodejs\\tool.cmd', 'C:\\app\\tool.bat')
    expect(resolveCommand('tool', { cwd: 'C:\\app', env, platform: 'win32', files: probe })).toBe('C:\\app\\tool.bat')
    expect(resolveCommand('tool', { cwd: 'C:\\elsewhere', env, platform: 'win32', files: probe })).toBe('C:\\Program Files\\nodejs\\tool.exe')
  })

  it('keeps a name that has its extension, and reads a relative path from the working directory', () => {
    const probe = files('C:\\Windows\\System32\\taskkill.exe', 'C:\\app\\scripts\\run.cmd')
    expect(resolveCommand('taskkill.exe', { cwd: 'C:\\app', env, platform: 'win32', files: probe })).toBe('C:\\Windows\\System32\\taskkill.exe')
    expect(resolveCommand('scripts\\run', { cwd: 'C:\\app', env, platform: 'win32', files: probe })).toBe('C:\\app\\scripts\\run.cmd')
    expect(() => resolveCommand('dotnet', { cwd: 'C:\\app', env, platform: 'win32', files: probe })).toThrow('cannot start "dotnet": not found')
  })
})
