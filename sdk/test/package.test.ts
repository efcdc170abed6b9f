import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const sdk = join(dirname(fileURLToPath(import.meta.url)), '..')

// A service as Micronetes starts it: its own process, the built package installed alone (neither
// ioredis nor amqplib next to it) and the discovery variables in its environment.
const service = `
import { configuration, createClientFactory, getConnectionString, getServiceUri } from '@micronetes/sdk'
const out = {
  web: getServiceUri('web').href,
  management: getServiceUri('web', 'management').href,
  redis: getConnectionString('redis'),
  instance: configuration().get('app_instance'),
}
try { getServiceUri('billing') } catch (error) { out.unknown = error.message }
const pubsub = createClientFactory().pubsub.createClient('redis')
try { await pubsub.publish('orders', 'x') } catch (error) { out.missing = error.message }
console.log(JSON.stringify(out))
`

// TypeScript code of a service: the declarations must stand alone (no ioredis or amqplib types)
const typedService = `
import { createClientFactory, getServiceUri, type PubSubMessage } from '@micronetes/sdk'
const clients = createClientFactory().register('stub', (target) => ({ address: \`\${target.host}:\${target.port ?? 0}\` }))
const address: string = clients.stub.createClient('web').address
const uri: URL = getServiceUri('web', 'management')
const handler = (message: PubSubMessage): number => message.json<{ n: number }>().n
const status: Promise<Response> = clients.http.createClient('web', { timeoutMs: 100 }).get('/')
export { address, uri, handler, status }
`

describe('the built package in a service process', () => {
  let folder: string

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'micronetes-sdk-service-'))
    const installed = join(folder, 'node_modules', '@micronetes', 'sdk')
    mkdirSync(installed, { recursive: true })
    cpSync(join(sdk, 'dist'), join(installed, 'dist'), { recursive: true })
    cpSync(join(sdk, 'package.json'), join(installed, 'package.json'))
    writeFileSync(join(folder, 'service.mjs'), service)
    writeFileSync(join(folder, 'typed-service.ts'), typedService)
    writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n')
  })

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true })
  })

  it('discovers services from injected variables and needs no broker library until one is used', async () => {
    const { stdout } = await run(process.execPath, ['service.mjs'], {
      cwd: folder,
      env: {
        PATH: process.env.PATH,
        SERVICE__WEB__HOST: 'localhost',
        SERVICE__WEB__PORT: '5005',
        SERVICE__WEB__PROTOCOL: 'http',
        SERVICE__WEB__MANAGEMENT__PORT: '5006',
        WEB_SERVICE_HOST: 'localhost',
        WEB_SERVICE_PORT: '5005',
        SERVICE__REDIS__PORT: '6379',
        SERVICE__REDIS__PROTOCOL: 'redis',
        CONNECTIONSTRINGS__REDIS: 'localhost:6379',
        APP_INSTANCE: 'worker_3f9a1c2b-1',
        PORT: '51016',
      },
    })
    expect(JSON.parse(stdout)).toEqual({
      web: 'http://localhost:5005/',
      management: 'http://localhost:5006/',
      redis: 'localhost:6379',
      instance: 'worker_3f9a1c2b-1',
      unknown: "Unknown service 'billing': neither SERVICE__BILLING__* nor CONNECTIONSTRINGS__BILLING is set. Known services: redis, web.",
      missing: "A Redis pub/sub client needs the 'ioredis' package, which is not installed: run `npm install ioredis` in the service's folder.",
    })
  })

  it('type-checks a strict TypeScript service against the declarations alone', async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    const typeRoots = join(sdk, '..', 'node_modules', '@types')
    const result = run(process.execPath, [
      tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--types', 'node', '--typeRoots', typeRoots, 'typed-service.ts',
    ], { cwd: folder })
    await expect(result.catch((error: { stdout: string }) => Promise.reject(new Error(error.stdout)))).resolves.toBeDefined()
  })
})
