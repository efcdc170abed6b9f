import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_WINDOW_STATE, placeOnDisplays, readWindowState, writeWindowState } from '../../src-main/electron/window-state'

const dirs: string[] = []
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'micronetes-window-'))
  dirs.push(dir)
  return join(dir, 'nested', 'window-state.json')
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the window state', () => {
  it('remembers size, position and maximized between launches', () => {
    const file = tempFile()
    expect(readWindowState(file)).toEqual(DEFAULT_WINDOW_STATE)
    writeWindowState(file, { x: 40, y: 30, width: 1000, height: 650, maximized: true })
    expect(readWindowState(file)).toEqual({ x: 40, y: 30, width: 1000, height: 650, maximized: true })
  })

  it('falls back to the defaults on a damaged file', () => {
    const file = tempFile()
    writeWindowState(file, DEFAULT_WINDOW_STATE)
    for (const text of ['{', '[]', 'null', '{"width":-5,"height":"tall","x":1.5}']) {
      writeFileSync(file, text)
      expect(readWindowState(file)).toEqual(DEFAULT_WINDOW_STATE)
    }
  })

  it('drops a position that is no longer on any display', () => {
    const laptop = [{ x: 0, y: 0, width: 1440, height: 900 }]
    const state = { x: 2200, y: 100, width: 1000, height: 700, maximized: false }
    expect(placeOnDisplays(state, laptop)).toEqual({ width: 1000, height: 700 })
    const docked = [...laptop, { x: 1440, y: 0, width: 2560, height: 1440 }]
    expect(placeOnDisplays(state, docked)).toEqual({ x: 2200, y: 100, width: 1000, height: 700 })
  })
})
