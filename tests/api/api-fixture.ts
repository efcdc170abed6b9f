// A real Session running tests/fixtures/api/app.yaml (real replicas) behind a real API server.
import { fileURLToPath } from 'node:url'
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src-main/api/server'
import { Session } from '../../src-main/core/session'

export const FIXTURE_APP = fileURLToPath(new URL('../fixtures/api/app.yaml', import.meta.url))

export interface ApiFixture {
  session: Session
  api: ApiServer
  base: string
  close(): Promise<void>
}

export async function startApiFixture(options: Omit<ApiServerOptions, 'session'> = {}): Promise<ApiFixture> {
  const session = new Session()
  let api: ApiServer | undefined
  const close = async (): Promise<void> => {
    await api?.close()
    await session.close()
  }
  try {
    const info = await session.open(FIXTURE_APP)
    if (info.state !== 'running') throw new Error(`fixture app did not start: ${info.message ?? info.state}`)
    api = await startApiServer({ port: 0, ...options, session })
    return { session, api, base: `${api.url}/api/v1`, close }
  } catch (err) {
    await close()
    throw err
  }
}
