// Toasts in a corner of the dashboard: a replica in trouble (grouped per service while it
// crash-loops) and the application ready. Each goes by itself after a while; clicking one
// shows its service.
import { useEffect } from 'react'
import { TOAST_MS, useNotices } from '../state/notices-store'
import { useDashboard } from '../state/store'
import { CloseIcon } from './icons'

export function Toasts() {
  const toasts = useNotices((s) => s.toasts)
  const dismiss = useNotices((s) => s.dismiss)
  const selectService = useDashboard((s) => s.selectService)
  const setView = useDashboard((s) => s.setView)

  useEffect(() => {
    if (toasts.length === 0) return
    const oldest = Math.min(...toasts.map((t) => t.shownAt))
    const timer = setTimeout(() => {
      for (const t of useNotices.getState().toasts) if (Date.now() - t.shownAt >= TOAST_MS) dismiss(t.id)
    }, Math.max(0, oldest + TOAST_MS - Date.now()))
    return () => clearTimeout(timer)
  }, [toasts, dismiss])

  return (
    <div className="toasts" role="region" aria-label="Notifications">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast tone-${toast.kind === 'ready' ? 'good' : 'bad'}`} role={toast.kind === 'ready' ? 'status' : 'alert'} data-toast={toast.kind}>
          <button
            type="button"
            className="toast-body"
            onClick={() => {
              if (toast.service) selectService(toast.service)
              setView('services')
              dismiss(toast.id)
            }}
          >
            <strong>{toast.title}</strong>
            <span>{toast.body}</span>
          </button>
          <button type="button" className="icon-button small" aria-label="Dismiss notification" onClick={() => dismiss(toast.id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  )
}
