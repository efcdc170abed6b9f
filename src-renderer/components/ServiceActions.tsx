// Scale, restart, stop and start one service, with feedback while the request is in flight.
import { useState, type ReactNode } from 'react'
import { MAX_REPLICAS } from '../../src-shared/command-names'
import type { ServiceStatus } from '../../src-shared/status'
import { useClient } from './client-context'
import { MinusIcon, PlayIcon, PlusIcon, RestartIcon, StopIcon } from './icons'
import type { ActionState } from './use-action'

export function ServiceActions({ service, action }: { service: ServiceStatus; action: ActionState }) {
  const client = useClient()
  const name = service.name
  const busy = action.pending !== undefined
  const stopped = service.state === 'stopped'
  const scale = (replicas: number): Promise<void> =>
    action.run('scale', `Could not scale ${name} to ${replicas}`, () => client.scale({ service: name, replicas }))

  return (
    <div className="service-actions" role="group" aria-label={`Actions for ${name}`}>
      {service.sidecarOf !== undefined ? (
        // scaled with its app, never on its own (the API refuses that with 409)
        <span className="follows" title={`A Dapr sidecar has as many replicas as its app: scale ${service.sidecarOf}`}>
          {service.replicas} · follows {service.sidecarOf}
        </span>
      ) : (
        <div className="stepper">
          <IconAction label={`Scale down ${name}`} busy={action.pending === 'scale'} disabled={busy || service.replicas <= 0} onClick={() => void scale(service.replicas - 1)}>
            <MinusIcon />
          </IconAction>
          <ReplicaCountField key={service.replicas} service={service} disabled={busy} onCommit={(n) => void scale(n)} />
          <IconAction label={`Scale up ${name}`} busy={action.pending === 'scale'} disabled={busy || service.replicas >= MAX_REPLICAS} onClick={() => void scale(service.replicas + 1)}>
            <PlusIcon />
          </IconAction>
        </div>
      )}
      <IconAction
        label={`Restart ${name}`}
        busy={action.pending === 'restart'}
        disabled={busy || stopped}
        onClick={() => void action.run('restart', `Could not restart ${name}`, () => client.restartService({ service: name }))}
      >
        <RestartIcon className={action.pending === 'restart' ? 'spin' : undefined} />
      </IconAction>
      {stopped ? (
        <IconAction
          label={`Start ${name}`}
          // never started: the one thing to do with it, so it says so in words
          className={service.notStarted !== undefined ? 'icon-button start-button' : undefined}
          busy={action.pending === 'start'}
          disabled={busy}
          onClick={() => void action.run('start', `Could not start ${name}`, () => client.startService({ service: name }))}
        >
          <PlayIcon />
          {service.notStarted !== undefined && <span>Start</span>}
        </IconAction>
      ) : (
        <IconAction label={`Stop ${name}`} busy={action.pending === 'stop'} disabled={busy} onClick={() => void action.run('stop', `Could not stop ${name}`, () => client.stopService({ service: name }))}>
          <StopIcon />
        </IconAction>
      )}
    </div>
  )
}

/** a button of one action: its label is also its tooltip; busy while its request is in flight */
function IconAction({ label, busy, disabled, onClick, className, children }: { label: string; busy: boolean; disabled: boolean; onClick(): void; className?: string; children: ReactNode }) {
  return (
    <button type="button" className={className ?? 'icon-button'} aria-label={label} aria-busy={busy} title={label} disabled={disabled} onClick={onClick}>
      {children}
    </button>
  )
}

// Keyed by the desired count, so a change from elsewhere (API, another window) resets the draft.
function ReplicaCountField({ service, disabled, onCommit }: { service: ServiceStatus; disabled: boolean; onCommit(n: number): void }) {
  const [draft, setDraft] = useState(String(service.replicas))
  // any whole number goes to the server, which says what it accepts; the card shows its answer
  const commit = (): void => {
    const n = Number(draft)
    if (draft.trim() !== '' && Number.isInteger(n) && n !== service.replicas) onCommit(n)
    setDraft(String(service.replicas))
  }
  return (
    <input
      type="number"
      className="count-field"
      aria-label={`Replicas of ${service.name}`}
      title={`Replicas of ${service.name}`}
      min={0}
      max={MAX_REPLICAS}
      value={draft}
      disabled={disabled}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
        if (e.key === 'Escape') setDraft(String(service.replicas))
      }}
    />
  )
}
