// The read routes in Project Tye's v1 shapes.
import type { ServiceStatus } from '../../src-shared/status'
import type { SessionHost } from '../core/session-host'
import { callContract } from './contract-call'
import { ApiError, sendJson } from './http-io'
import type { RequestContext, Router } from './router'
import { runningApp } from './running-app'
import { environmentOf } from './replica-environment'
import { toTyeService } from './tye-shapes'

/** first segments after /api/v1 that are routes, so never taken as a service name by the alias */
export const RESERVED_NAMES = new Set(['application', 'services', 'logs', 'metrics', 'resources', 'events', 'replicas', 'commands', 'control'])

/** what GET /api/v1 lists; {name} and {replica} are placeholders */
export const ROUTE_LIST = [
  'GET /api/v1/application',
  'GET /api/v1/services',
  'GET /api/v1/services/{name}',
  'GET /api/v1/{name}',
  'GET /api/v1/logs/{name}?replica=&tail=&follow=&plain=',
  'GET /api/v1/metrics',
  'GET /api/v1/metrics/{name}',
  'GET /api/v1/resources',
  'GET /api/v1/resources/{name}',
  'GET /api/v1/events?service=&types=',
  'POST /api/v1/services/{name}/scale',
  'POST /api/v1/services/{name}/restart',
  'POST /api/v1/services/{name}/stop',
  'POST /api/v1/services/{name}/start',
  'POST /api/v1/replicas/{replica}/restart',
  'POST /api/v1/application/reload',
  'POST /api/v1/commands/{command}',
  'DELETE /api/v1/control',
]

export async function findService(session: SessionHost, name: string): Promise<ServiceStatus> {
  const services = await callContract(session, 'services', {})
  const service = services.find((s) => s.name === name)
  if (!service) throw new ApiError(404, `Unknown service ${name}`, 'not-found')
  return service
}

export function registerReadRoutes(router: Router, session: SessionHost): void {
  router.add('GET', '/api/v1', ({ res, baseUrl }: RequestContext) => {
    // Tye's clients read this as a plain list of URLs (its VS Code extension's getEndpoints)
    sendJson(res, 200, [...new Set(ROUTE_LIST.map((r) => `${baseUrl}${(r.split(' ')[1] as string).replace(/\?.*$/, '')}`))])
  })

  router.add('GET', '/api/v1/application', ({ res }) => {
    const { id, name, source } = runningApp(session).application()
    sendJson(res, 200, { id, name, source })
  })

  router.add('GET', '/api/v1/services', async ({ res }) => {
    const services = await callContract(session, 'services', {})
    sendJson(res, 200, services.map((s) => toTyeService(s, environmentOf(session))))
  })

  const oneService = async ({ res, params }: RequestContext): Promise<void> => {
    sendJson(res, 200, toTyeService(await findService(session, params.name as string), environmentOf(session)))
  }
  router.add('GET', '/api/v1/services/:name', oneService)
}

/** Tye's `/api/v1/{name}`: register it after every other route, since it matches any name */
export function registerServiceAlias(router: Router, session: SessionHost): void {
  router.add('GET', '/api/v1/:name', async (ctx) => {
    const name = ctx.params.name as string
    if (RESERVED_NAMES.has(name)) throw new ApiError(404, `no route GET /api/v1/${name}`)
    sendJson(ctx.res, 200, toTyeService(await findService(session, name), environmentOf(session)))
  })
}
