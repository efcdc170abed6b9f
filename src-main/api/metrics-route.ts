// GET /api/v1/metrics[/{name}]: Prometheus text, or the figures as JSON for `Accept: application/json`.
// GET /api/v1/resources[/{name}]: the latest reading with every replica's history, as JSON.
import type { SessionHost } from '../core/session-host'
import { callContract } from './contract-call'
import { findService } from './read-routes'
import { sendJson, sendText } from './http-io'
import type { RequestContext, Router } from './router'
import { runningApp } from './running-app'
import { toPrometheusText } from './prometheus'

export function registerMetricsRoutes(router: Router, session: SessionHost): void {
  const answer = async ({ req, res, params }: RequestContext): Promise<void> => {
    const app = runningApp(session)
    const service = params.name
    if (service !== undefined) await findService(session, service)
    const metrics = await app.metrics(service)
    if (/\bapplication\/json\b/.test(req.headers.accept ?? '')) sendJson(res, 200, metrics)
    else sendText(res, 200, toPrometheusText(metrics, app.resources(service).latest?.bindings), 'text/plain; version=0.0.4; charset=utf-8')
  }
  router.add('GET', '/api/v1/metrics', answer)
  router.add('GET', '/api/v1/metrics/:name', answer)

  const resources = async ({ res, params }: RequestContext): Promise<void> => {
    const input = params.name !== undefined ? { service: params.name } : {}
    sendJson(res, 200, await callContract(session, 'resources', input))
  }
  router.add('GET', '/api/v1/resources', resources)
  router.add('GET', '/api/v1/resources/:name', resources)
}
