import type { ControlPlane } from '../../src-shared/control-plane'
import type { SessionHost } from '../core/session-host'
import { ApiError } from './http-io'

/** the running application, or 503 naming why there is none */
export function runningApp(session: SessionHost): ControlPlane {
  const app = session.current()
  if (!app) throw new ApiError(503, `no application is running (session is ${session.info().state})`, 'unavailable')
  return app
}
