// Terminal colours that follow the dashboard's light or dark theme (the system's choice).
import type { ITheme } from '@xterm/xterm'

const dark: ITheme = {
  background: '#14161a',
  foreground: '#d7dae0',
  cursor: '#14161a',
  selectionBackground: '#3b5b8c',
  scrollbarSliderBackground: 'rgba(255,255,255,0.12)',
  scrollbarSliderHoverBackground: 'rgba(255,255,255,0.2)',
  scrollbarSliderActiveBackground: 'rgba(255,255,255,0.28)',
  black: '#3a3f4b', red: '#f07178', green: '#a5d67a', yellow: '#e6c07b', blue: '#6cb6ff', magenta: '#c792ea', cyan: '#70d4d4', white: '#c8ccd4',
  brightBlack: '#6b7280', brightRed: '#ff8b92', brightGreen: '#bde59a', brightYellow: '#f5d68f', brightBlue: '#8ecbff', brightMagenta: '#dcb0f5', brightCyan: '#93e6e6', brightWhite: '#ffffff',
}

const light: ITheme = {
  background: '#fbfbfc',
  foreground: '#24292f',
  cursor: '#fbfbfc',
  selectionBackground: '#b6d4fe',
  scrollbarSliderBackground: 'rgba(0,0,0,0.14)',
  scrollbarSliderHoverBackground: 'rgba(0,0,0,0.22)',
  scrollbarSliderActiveBackground: 'rgba(0,0,0,0.3)',
  black: '#24292f', red: '#cf222e', green: '#1a7f37', yellow: '#9a6700', blue: '#0969da', magenta: '#8250df', cyan: '#1b7c83', white: '#6e7781',
  brightBlack: '#57606a', brightRed: '#a40e26', brightGreen: '#116329', brightYellow: '#7d4e00', brightBlue: '#0550ae', brightMagenta: '#6639ba', brightCyan: '#136061', brightWhite: '#8c959f',
}

const darkQuery = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)')

export function currentTerminalTheme(): ITheme {
  return darkQuery().matches ? dark : light
}

export function onThemeChange(listener: (theme: ITheme) => void): () => void {
  const query = darkQuery()
  const handler = (): void => listener(currentTerminalTheme())
  query.addEventListener('change', handler)
  return () => query.removeEventListener('change', handler)
}
