// The window's size and position between launches, kept in userData. A saved position on a
// display that is gone (a laptop undocked) is dropped so the window never opens off-screen.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface WindowBounds {
  x?: number
  y?: number
  width: number
  height: number
}

export interface WindowState extends WindowBounds {
  maximized: boolean
}

export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 800, maximized: false }

export function readWindowState(file: string): WindowState {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return { ...DEFAULT_WINDOW_STATE }
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE }
  const r = raw as Record<string, unknown>
  const size = (v: unknown, fallback: number): number => (isInt(v) && v >= 200 && v <= 20_000 ? v : fallback)
  const state: WindowState = {
    width: size(r.width, DEFAULT_WINDOW_STATE.width),
    height: size(r.height, DEFAULT_WINDOW_STATE.height),
    maximized: r.maximized === true,
  }
  if (isInt(r.x) && isInt(r.y)) {
    state.x = r.x
    state.y = r.y
  }
  return state
}

export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true })
  // write then rename: a crash mid-write leaves the previous state, not half a file
  const temporary = `${file}.tmp`
  writeFileSync(temporary, JSON.stringify(state))
  renameSync(temporary, file)
}

/** the bounds to open with: the saved ones if enough of the window shows on a display */
export function placeOnDisplays(state: WindowState, workAreas: Rectangle[]): WindowBounds {
  const { x, y, width, height } = state
  if (x === undefined || y === undefined) return { width, height }
  const window = { x, y, width, height }
  // at least a title bar's worth must be reachable to drag it back
  const visible = workAreas.some((area) => overlap(window, area) >= Math.min(100 * 40, (width * height) / 4))
  return visible ? { x, y, width, height } : { width, height }
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v)
}
