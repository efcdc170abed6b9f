// One service: what it is, how many replicas are ready, where to reach it, and its replicas.
import { memo } from 'react'
import type { ServiceStatus } from '../../src-shared/status'
import { bindingUrl, serviceSummary, serviceTone, shellJoin } from '../format'
import { useDashboard } from '../state/store'
import { KindIcon, kindLabel, CloseIcon } from './icons'
import { ReplicaTable } from './ReplicaTable'
import { BindingTrafficLabel, ServiceTotals } from './ResourceCells'
import { ServiceActions } from './ServiceActions'
import { DependsOn, saysStartOrder, StartOrderNote } from './StartOrder'
import { useAction } from './use-action'

// memo: an event about one service gives only that service a new object, so only its card redraws
export const ServiceCard = memo(function ServiceCard({ service }: { service: ServiceStatus }) {
  const action = useAction()
  const selected = useDashboard((s) => s.selectedService === service.name)
  const selectedReplica = useDashboard((s) => (s.selectedService === service.name ? s.selectedReplica : undefined))
  const selectService = useDashboard((s) => s.selectService)
  const selectReplica = useDashboard((s) => s.selectReplica)
  const setLogTab = useDashboard((s) => s.setLogTab)
  const titleId = `service-${service.name}-title`
  // neither an external service nor an ingress has replicas to scale, stop or restart
  const external = service.kind === 'external' || service.kind === 'ingress'
  const definition = definitionOf(service)

  return (
    <section className={`service${selected ? ' selected' : ''}${action.pending ? ' pending' : ''}`} aria-labelledby={titleId} data-service={service.name}>
      <div className="service-head">
        <span className={`kind kind-${service.kind}`} title={kindLabel[service.kind]}>
          <KindIcon kind={service.kind} />
          <span className="offscreen">{kindLabel[service.kind]}</span>
        </span>
        <h2 id={titleId}>
          <button type="button" className="service-name" onClick={() => selectService(service.name)} aria-pressed={selected}>
            {service.name}
          </button>
        </h2>
        <span className={`pill tone-${serviceTone(service)}`} data-testid="service-summary">
          <span className="dot" />
          {serviceSummary(service)}
        </span>
        {service.restarts > 0 && (
          <span className="restarts" title="Restarts across replicas">
            {service.restarts} restart{service.restarts === 1 ? '' : 's'}
          </span>
        )}
        <ServiceTotals service={service.name} />
        <div className="service-spacer" />
        {!external && <ServiceActions service={service} action={action} />}
      </div>
      <div className="service-meta">
        <span>{kindLabel[service.kind]}</span>
        {service.tags && service.tags.length > 0 && (
          <span className="tags" aria-label={`Tags of ${service.name}`}>
            {service.tags.map((tag) => (
              <span key={tag} className="tag">
                {tag}
              </span>
            ))}
          </span>
        )}
        {definition && (
          <code className="mono definition" title={definition}>
            {definition}
          </code>
        )}
        {service.bindings.length > 0 && (
          <ul className="bindings" aria-label={`Bindings of ${service.name}`}>
            {service.bindings.map((b, i) => {
              if (b.connectionStringOnly) {
                // Tye's connection-string binding: nothing listens, the string is what the others get
                return (
                  <li key={`${b.name ?? ''}${i}`}>
                    <span className="mono" title="published as a connection string only">
                      {b.name ? `${b.name} ` : ''}
                      {b.connectionString}
                    </span>
                  </li>
                )
              }
              const url = bindingUrl(b.protocol, b.host, b.port)
              const label = `${b.name ? `${b.name} ` : ''}${url ?? `${b.protocol}://${b.host}:${b.port}`}`
              return (
                <li key={`${b.name ?? ''}${i}`}>
                  {url ? (
                    <a className="mono" href={url} target="_blank" rel="noreferrer">
                      {label}
                    </a>
                  ) : (
                    <span className="mono">{label}</span>
                  )}
                  <BindingTrafficLabel service={service.name} port={b.port} />
                  {url &&
                    b.routes?.map((route) => (
                      <a key={route} className="mono route" href={`${url.replace(/\/$/, '')}${route}`} target="_blank" rel="noreferrer">
                        {route}
                      </a>
                    ))}
                </li>
              )
            })}
          </ul>
        )}
        <DependsOn service={service} />
      </div>
      <StartOrderNote service={service} />
      {service.message && !aboutOneReplica(service) && !saysStartOrder(service) && <p className="service-message">{service.message}</p>}
      {service.watchPaused && <p className="service-message">watch {service.watchPaused}</p>}
      {action.error && (
        <p className="inline-error" role="alert">
          <span>{action.error}</span>
          <button type="button" className="icon-button small" aria-label="Dismiss" onClick={action.dismiss}>
            <CloseIcon />
          </button>
        </p>
      )}
      {!external && (
        <ReplicaTable
          service={service.name}
          replicas={service.replicaStatuses}
          stopped={service.state === 'stopped'}
          selected={selectedReplica}
          action={action}
          onSelect={(replica) => {
            selectReplica(service.name, replica)
            setLogTab(service.name, replica)
          }}
        />
      )}
    </section>
  )
})

/** what the service runs, as a person would type or recognise it */
function definitionOf(service: ServiceStatus): string | undefined {
  if (service.image) return service.image
  if (service.executable) return shellJoin([service.executable, ...service.args])
  return service.project
}

// "web_3f9a1c2b-1: exited with code 3" is already said in that replica's row
function aboutOneReplica(service: ServiceStatus): boolean {
  return service.replicaStatuses.some((r) => service.message?.startsWith(`${r.name}:`))
}
