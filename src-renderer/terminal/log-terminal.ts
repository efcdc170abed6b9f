// An xterm pane showing log lines. Lines are queued and written once per animation frame, so
// a replica printing thousands of lines a second costs one terminal write per frame; the
// scrollback and the queue are both bounded, so memory stays flat however long it runs.
import { Terminal } from '@xterm/xterm'
import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon } from '@xterm/addon-search'
import type { LogLine } from '../../src-shared/status'
import { terminalSafeText } from '../../src-shared/terminal-text'
import { installCspStyleBridge } from './csp-style-bridge'
import { currentTerminalTheme, onThemeChange } from './terminal-theme'

export const SCROLLBACK_LINES = 5000
/**
 * At most this often a terminal write: each write re-renders every visible row of xterm's
 * DOM renderer, so under a flood writing every frame (60/s) costs the page most of its time
 * while nobody reads faster than this anyway. A quiet log still shows a line the next frame.
 */
const MIN_WRITE_INTERVAL_MS = 50

const PREFIX_COLOURS = [36, 35, 33, 32, 34, 91, 96, 95, 93, 92]
const SEARCH_OPTIONS = {
  decorations: {
    matchBackground: '#806000',
    matchOverviewRuler: '#c09000',
    activeMatchBackground: '#d0a000',
    activeMatchColorOverviewRuler: '#ffd000',
  },
}

export interface LogTerminalOptions {
  /** prefix each line with its replica's name (the service's "All" tab, the application's log) */
  prefixReplica: boolean
  /** a replica's ordinal (its status says it), for its colour; undefined when not known yet */
  ordinalOf?(replica: string): number | undefined
  /** prefix each line with the time it was read, HH:MM:SS.mmm */
  timestamps?: boolean
  /** colour lines that read as errors red and warnings yellow */
  highlight?: boolean
  onFollowChange(following: boolean): void
  onSearchResults?(resultIndex: number, resultCount: number): void
}

export class LogTerminal {
  private readonly terminal: Terminal
  private readonly fit = new FitAddon()
  private readonly search = new SearchAddon()
  private readonly cleanups: (() => void)[] = []
  private queue: string[] = []
  private skipped = 0
  private frame = 0
  private lastWrite = 0
  private pendingWrites = 0
  private disposed = false
  private following = true
  private readonly replicaColours = new Map<string, number>()

  constructor(
    host: HTMLElement,
    private readonly options: LogTerminalOptions,
  ) {
    installCspStyleBridge()
    this.terminal = new Terminal({
      scrollback: SCROLLBACK_LINES,
      disableStdin: true,
      convertEol: true,
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      cursorStyle: 'bar',
      fontFamily: 'ui-monospace, "SF Mono", "Cascadia Code", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 12,
      lineHeight: 1.3,
      allowProposedApi: true,
      theme: currentTerminalTheme(),
    })
    // Second line of defence behind terminalSafeText (src-shared/terminal-text.ts): never act on clipboard writes (52),
    // hyperlinks (8) or window titles (0, 1, 2) even if one slipped through.
    for (const osc of [0, 1, 2, 8, 52]) this.cleanups.push(disposer(this.terminal.parser.registerOscHandler(osc, () => true)))
    this.terminal.loadAddon(this.fit)
    this.terminal.loadAddon(this.search)
    this.terminal.open(host)
    this.fitToHost()

    const resize = new ResizeObserver(() => this.fitToHost())
    resize.observe(host)
    this.cleanups.push(() => resize.disconnect())
    this.cleanups.push(
      onThemeChange((theme) => {
        this.terminal.options.theme = theme
      }),
    )
    this.cleanups.push(disposer(this.terminal.onScroll(() => this.noticeScroll())))
    // xterm reports wheel scrolls of the viewport only through the DOM
    const viewport = host.querySelector('.xterm-viewport') ?? host
    const onWheel = (): void => {
      requestAnimationFrame(() => this.noticeScroll())
    }
    host.addEventListener('wheel', onWheel, { passive: true })
    viewport.addEventListener('scroll', onWheel, { passive: true })
    this.cleanups.push(() => {
      host.removeEventListener('wheel', onWheel)
      viewport.removeEventListener('scroll', onWheel)
    })
    if (options.onSearchResults) {
      const report = options.onSearchResults
      this.cleanups.push(disposer(this.search.onDidChangeResults((r) => report(r.resultIndex, r.resultCount))))
    }
  }

  append(lines: LogLine[]): void {
    if (this.disposed) return
    for (const line of lines) this.queue.push(this.format(line))
    this.boundQueue()
    this.schedule()
  }

  notice(text: string): void {
    this.queue.push(`\x1b[2;3m${text}\x1b[0m\r\n`)
    this.schedule()
  }

  clear(): void {
    this.queue = []
    this.skipped = 0
    this.terminal.clear()
  }

  /** the visible log as plain text, for copy and download */
  text(): string {
    const buffer = this.terminal.buffer.active
    const rows: string[] = []
    for (let y = 0; y < buffer.length; y++) {
      const line = buffer.getLine(y)
      if (!line) continue
      const text = line.translateToString(true)
      if (line.isWrapped && rows.length > 0) rows[rows.length - 1] += text
      else rows.push(text)
    }
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop()
    return rows.join('\n') + (rows.length > 0 ? '\n' : '')
  }

  findNext(term: string, incremental = false, regex = false): boolean {
    return this.search.findNext(term, { ...SEARCH_OPTIONS, incremental, regex })
  }

  findPrevious(term: string, regex = false): boolean {
    return this.search.findPrevious(term, { ...SEARCH_OPTIONS, regex })
  }

  clearSearch(): void {
    this.search.clearDecorations()
    // the active match is shown as a selection, which clearing the highlights leaves behind
    this.terminal.clearSelection()
  }

  follow(): void {
    this.terminal.scrollToBottom()
    this.setFollowing(true)
  }

  focus(): void {
    this.terminal.focus()
  }

  // xterm schedules viewport work after each write and fails if it was disposed meanwhile
  // (reading its renderer's dimensions), so the terminal goes once its writes are done and the
  // frames they scheduled have run.
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    cancelAnimationFrame(this.frame)
    this.queue = []
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    // xterm itself goes a few frames later (writes may still be in flight), but its screen
    // leaves the page now: a terminal opened in the same place meanwhile is the only one shown
    this.terminal.element?.remove()
    if (this.pendingWrites === 0) this.disposeAfterFrames()
  }

  private disposeAfterFrames(): void {
    requestAnimationFrame(() => requestAnimationFrame(() => this.terminal.dispose()))
  }

  private format(line: LogLine): string {
    const text = terminalSafeText(line.text)
    const tone = this.options.highlight && line.stream !== 'system' ? toneOf(text) : undefined
    const body = line.stream === 'system' ? `\x1b[2;3m${text}\x1b[0m` : tone ? `${tone}${text}` : text
    const time = this.options.timestamps ? `\x1b[2m${clockOf(line.time)}\x1b[0m ` : ''
    if (!this.options.prefixReplica) return `${time}${body}\x1b[0m\r\n`
    // the bar turns red for stderr, so errors stand out in the merged view
    const bar = line.stream === 'stderr' ? '\x1b[0;31m │' : '\x1b[0;2m │'
    return `${time}\x1b[${this.colourOf(line.replica)}m${line.replica}${bar}\x1b[0m ${body}\x1b[0m\r\n`
  }

  // by replica ordinal, so web_…-2 keeps its colour whichever replica spoke first
  private colourOf(replica: string): number {
    let colour = this.replicaColours.get(replica)
    if (colour === undefined) {
      const number = this.options.ordinalOf?.(replica) ?? this.replicaColours.size + 1
      colour = PREFIX_COLOURS[(number - 1) % PREFIX_COLOURS.length] ?? 36
      this.replicaColours.set(replica, colour)
    }
    return colour
  }

  // While the page is hidden no frame runs; the queue keeps only what the scrollback could show.
  private boundQueue(): void {
    const excess = this.queue.length - SCROLLBACK_LINES
    if (excess > 0) {
      this.queue.splice(0, excess)
      this.skipped += excess
    }
  }

  private schedule(): void {
    if (this.frame !== 0 || this.disposed) return
    this.frame = requestAnimationFrame(() => this.flush())
  }

  private flush(): void {
    this.frame = 0
    if (this.queue.length === 0) return
    const now = performance.now()
    if (now - this.lastWrite < MIN_WRITE_INTERVAL_MS) {
      this.schedule()
      return
    }
    this.lastWrite = now
    let chunk = this.queue.join('')
    this.queue = []
    if (this.skipped > 0) {
      chunk = `\x1b[2;3m… ${this.skipped} earlier lines not shown\x1b[0m\r\n${chunk}`
      this.skipped = 0
    }
    this.pendingWrites++
    this.terminal.write(chunk, () => {
      this.pendingWrites--
      if (this.disposed) {
        if (this.pendingWrites === 0) this.disposeAfterFrames()
        return
      }
      if (this.following) this.terminal.scrollToBottom()
    })
  }

  private noticeScroll(): void {
    const buffer = this.terminal.buffer.active
    this.setFollowing(buffer.viewportY >= buffer.baseY)
  }

  private setFollowing(following: boolean): void {
    if (following === this.following) return
    this.following = following
    this.options.onFollowChange(following)
  }

  private fitToHost(): void {
    if (this.disposed) return
    try {
      this.fit.fit()
    } catch {
      // a hidden host has no size; the next resize fits it
    }
  }
}

const ERROR_LINE = /\b(error|err|fatal|panic|exception|failed|failure)\b|\[(ERR|FTL|CRIT)\]/i
const WARNING_LINE = /\b(warn|warning|deprecated)\b|\[WRN\]/i

/** red for a line that reads as an error, yellow for a warning; the text keeps its own colours after */
function toneOf(text: string): string | undefined {
  if (ERROR_LINE.test(text)) return '\x1b[31m'
  if (WARNING_LINE.test(text)) return '\x1b[33m'
  return undefined
}

function clockOf(time: number): string {
  const d = new Date(time)
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

function disposer(disposable: { dispose(): void }): () => void {
  return () => disposable.dispose()
}
