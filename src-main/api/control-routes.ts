// The control routes: each answers once the core accepted the action, with the service's (or
// replica's) new state in the same shape as the read routes; the outcome follows as events.
import type { CommandName } from '../../src-shared/contract'
import { isCommandName } from '../../src-shared/dispatch'
import type { SessionHost } from '../core/session-host'
import { callContract } from './contract-call'
import { ApiError, readJsonBody, sendJson } from './http-io'
import type { Router } from './router'
import { environmentOf } from './replica-environment'
import { toTyeReplica, toTyeService } from './tye-shapes'

function asObject(body: unknown, route: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, `${route}: the body must be a JSON object`, 'invalid')
  }
  return body as Record<string, unknown>
}

function refuseFields(body: Record<string, unknown>, allowed: string[], route: string): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k))
  if (extra.length > 0) {
    const accepts = allowed.length > 0 ? `it accepts ${allowed.map((a) => `"${a}"`).join(', ')}` : 'it takes no fields'
    throw new ApiError(400, `${route}: unknown field ${extra.map((e) => `"${e}"`).join(', ')}; ${accepts}`, 'invalid')
  }
}

export function registerControlRoutes(router: Router, session: SessionHost, onShutdown?: () => void): void {
  // Project Tye's clients stop the whole host this way ("Shutdown" in its VS Code extension)
  router.add('DELETE', '/api/v1/control', ({ res }) => {
    if (!onShutdown) throw new ApiError(409, 'this host is not stopped over the API; close it from its window', 'conflict')
    // 200 as Tye answers; its clients treat anything else as a failed shutdown
    sendJson(res, 200, { message: 'shutting down: stopping every replica' })
    res.on('finish', onShutdown)
  })

  router.add('POST', '/api/v1/services/:name/scale', async ({ req, res, params }) => {
    const body = asObject(await readJsonBody(req), 'scale')
    refuseFields(body, ['replicas'], 'scale')
    if (body.replicas === undefined) throw new ApiError(400, 'scale: the body needs { "replicas": n }', 'invalid')
    const service = await callContract(session, 'scale', { service: params.name, replicas: body.replicas })
    sendJson(res, 200, toTyeService(service, environmentOf(session)))
  })

  const serviceAction = (path: string, command: 'restartService' | 'stopService' | 'startService'): void => {
    router.add('POST', `/api/v1/services/:name/${path}`, async ({ req, res, params }) => {
      refuseFields(asObject(await readJsonBody(req), path), [], path)
      sendJson(res, 200, toTyeService(await callContract(session, command, { service: params.name }), environmentOf(session)))
    })
  }
  serviceAction('restart', 'restartService')
  serviceAction('stop', 'stopService')
  serviceAction('start', 'startService')

  router.add('POST', '/api/v1/replicas/:replica/restart', async ({ req, res, params }) => {
    refuseFields(asObject(await readJsonBody(req), 'restart'), [], 'restart')
    sendJson(res, 200, toTyeReplica(await callContract(session, 'restartReplica', { replica: params.replica }), environmentOf(session)(params.replica as string)))
  })

  // read app.yaml again and apply the difference: 200 when applied (or nothing changed), 422
  // with the problems when the file is broken (nothing was touched), 409 when part of it
  // could not be applied; an application that was not running is started afresh (200)
  router.add('POST', '/api/v1/application/reload', async ({ req, res }) => {
    refuseFields(asObject(await readJsonBody(req), 'reload'), [], 'reload')
    const info = await callContract(session, 'reloadApplication', {})
    const outcome = info.lastReload
    if (!outcome) {
      sendJson(res, info.state === 'error' ? 422 : 200, { result: info.state === 'error' ? 'invalid' : 'started', summary: info.message ?? `started ${info.application?.name ?? ''}`.trim(), problems: info.problems, ...(info.message ? { message: info.message } : {}) })
      return
    }
    sendJson(res, outcome.result === 'invalid' ? 422 : outcome.result === 'failed' ? 409 : 200, outcome)
  })

  // the web dashboard's transport: the contract as it is, `{ result }` or `{ message, code }`
  router.add('POST', '/api/v1/commands/:command', async ({ req, res, params }) => {
    const name = params.command as string
    if (!isCommandName(name)) throw new ApiError(404, `unknown command '${name}'`, 'not-found')
    const input = await readJsonBody(req)
    const result = await callContract(session, name as CommandName, input)
    sendJson(res, 200, { result })
  })
}
