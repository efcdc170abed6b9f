// The selected service's logs: an "All" tab and one tab per replica (named after it), plus the
// details of the replica being looked at.
import { useRef, type KeyboardEvent } from 'react'
import type { ServiceStatus } from '../../src-shared/status'
import { replicaTone } from '../format'
import { useDashboard, type LogTab } from '../state/store'
import { KindIcon } from './icons'
import { LogView } from './LogView'
import { ReplicaDetails } from './ReplicaDetails'

export function LogPanel({ service }: { service: ServiceStatus }) {
  const storedTab = useDashboard((s) => s.logTabs[service.name])
  const selectedReplica = useDashboard((s) => s.selectedReplica)
  const setLogTab = useDashboard((s) => s.setLogTab)
  const selectReplica = useDashboard((s) => s.selectReplica)
  const tabList = useRef<HTMLDivElement>(null)

  const replicas = service.replicaStatuses
  // a tab whose replica was scaled away falls back to "All"
  const tab: LogTab = storedTab && (storedTab === 'all' || replicas.some((r) => r.name === storedTab)) ? storedTab : 'all'
  const tabs: LogTab[] = ['all', ...replicas.map((r) => r.name)]
  const details = replicas.find((r) => r.name === selectedReplica)

  const choose = (next: LogTab): void => {
    setLogTab(service.name, next)
    if (next !== 'all') selectReplica(service.name, next)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    const jump = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : undefined
    if (step === 0 && jump === undefined) return
    e.preventDefault()
    const index = jump ?? (tabs.indexOf(tab) + step + tabs.length) % tabs.length
    const next = tabs[index] ?? 'all'
    choose(next)
    tabList.current?.querySelector<HTMLElement>(`[data-tab="${CSS.escape(next)}"]`)?.focus()
  }

  return (
    <section className="log-panel" aria-labelledby="log-panel-title">
      <header className="log-panel-head">
        <KindIcon kind={service.kind} className="muted" />
        <h2 id="log-panel-title">
          Logs <span className="muted">·</span> {service.name}
        </h2>
      </header>
      <div className="tabs" role="tablist" aria-label={`Logs of ${service.name}`} ref={tabList} onKeyDown={onKeyDown}>
        {tabs.map((t) => {
          const replica = replicas.find((r) => r.name === t)
          const active = t === tab
          return (
            <button
              key={t}
              type="button"
              role="tab"
              id={`tab-${t}`}
              data-tab={t}
              aria-selected={active}
              aria-controls="log-tabpanel"
              tabIndex={active ? 0 : -1}
              className={`tab${active ? ' active' : ''}`}
              onClick={() => choose(t)}
            >
              {replica && <span className={`dot tone-${replicaTone(replica.state)}`} aria-hidden="true" />}
              <span className={replica ? 'mono' : undefined}>{t === 'all' ? 'All' : t}</span>
            </button>
          )
        })}
      </div>
      <div className="log-tabpanel" id="log-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <LogView key={`${service.name}/${tab}`} service={service.name} replica={tab === 'all' ? undefined : tab} />
      </div>
      {details && <ReplicaDetails replica={details} onClose={() => selectReplica(service.name, undefined)} />}
    </section>
  )
}
