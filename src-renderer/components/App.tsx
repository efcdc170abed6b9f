// The dashboard: the frame, then either what is wrong with app.yaml, an empty state, or the
// services beside the logs of the one selected.
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useDashboard, type View } from '../state/store'
import { AppLogs } from './AppLogs'
import { DependencyGraph } from './DependencyGraph'
import { EmptyState } from './EmptyState'
import { Header } from './Header'
import { LogPanel } from './LogPanel'
import { ProblemsPanel } from './ProblemsPanel'
import { ReloadNotice } from './ReloadNotice'
import { ServiceCard } from './ServiceCard'
import { Toasts } from './Toasts'

const VIEWS: { view: View; label: string }[] = [
  { view: 'services', label: 'Services' },
  { view: 'logs', label: 'Application log' },
  { view: 'graph', label: 'Dependencies' },
]
import { WarningsPanel } from './WarningsPanel'

export function App() {
  const session = useDashboard((s) => s.session)
  const connected = useDashboard((s) => s.connected)
  const order = useDashboard(useShallow((s) => s.services.order))
  const byName = useDashboard((s) => s.services.byName)
  const selected = useDashboard((s) => (s.selectedService ? s.services.byName[s.selectedService] : undefined))
  const view = useDashboard((s) => s.view)
  const setView = useDashboard((s) => s.setView)
  useKeyboardShortcuts()
  const appName = session?.application?.name
  useEffect(() => {
    document.title = appName ? `${appName} · Micronetes` : 'Micronetes'
  }, [appName])

  const problems = session?.problems ?? []
  const warnings = session?.warnings ?? []
  const failed = session?.state === 'error'
  const hasApplication = session?.application !== undefined && order.length > 0 && !failed

  return (
    <div className="app">
      <a className="skip-link" href="#services">
        Skip to services
      </a>
      <Header session={session} connected={connected} />
      {failed && <ProblemsPanel problems={problems} message={session.message} />}
      {warnings.length > 0 && <WarningsPanel warnings={warnings} />}
      {!failed && session?.lastReload && <ReloadNotice outcome={session.lastReload} watching={session.watching === true} />}
      {hasApplication && (
        <nav className="view-switch" role="tablist" aria-label="Views">
          {VIEWS.map(({ view: v, label }) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} className={`tab${view === v ? ' active' : ''}`} onClick={() => setView(v)}>
              {label}
            </button>
          ))}
        </nav>
      )}
      {hasApplication && view === 'logs' ? (
        <main className="workspace single">
          <AppLogs />
        </main>
      ) : hasApplication && view === 'graph' ? (
        <main className="workspace single">
          <DependencyGraph />
        </main>
      ) : hasApplication ? (
        <main className="workspace">
          <div className="services" id="services" tabIndex={-1} aria-label="Services">
            {order.map((name) => {
              const service = byName[name]
              return service ? <ServiceCard key={name} service={service} /> : null
            })}
          </div>
          {selected ? <LogPanel service={selected} /> : <div className="log-panel placeholder" />}
        </main>
      ) : (
        !failed && <EmptyState session={session} />
      )}
      <Toasts />
    </div>
  )
}

// "/" jumps to the log search, as in most log viewers; Escape there returns to the page.
function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        const search = document.querySelector<HTMLInputElement>('[data-shortcut="search"]')
        if (search) {
          e.preventDefault()
          search.focus()
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
