// A container-only application generated to Compose and run by docker-compose on the local
// engine: a job that must complete, a web server of two replicas that must be healthy, and a
// client that finds it through the rewritten discovery variables.
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadApplication } from '../../../src-main/core/config/load-application'
import { generateCompose } from '../../../src-main/core/generate/compose'
import { composeYaml } from '../../../src-main/core/generate/compose-yaml'
import { engine, ensureTestImage, testApplication, waitFor } from '../docker/docker-fixture'

const run = promisify(execFile)
const project = `micronetes-generate-${process.pid}`

let composeFile: string
let directory: string

function compose(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('docker-compose', ['-p', project, '-f', composeFile, ...args], { timeout: 120_000 })
}

beforeAll(async () => {
  await run('docker-compose', ['version']).catch((error: Error) => {
    throw new Error(`this test runs the generated file with docker-compose, which does not start here (${error.message}): apt-get install -y docker-compose`, { cause: error })
  })
  const image = await ensureTestImage(await engine())
  // a folder of its own, written as a person would: app.yaml, and the page web serves
  directory = testApplication('compose-run', []).directory
  mkdirSync(join(directory, 'www'))
  writeFileSync(join(directory, 'www', 'index.html'), 'hello from web\n')
  writeFileSync(join(directory, 'app.yaml'), `
name: compose-run
services:
  - name: setup
    image: ${image}
    args: ['sh', '-c', 'echo setup done']
    restart: never
  - name: web
    image: ${image}
    args: httpd -f -p 8080 -h /www
    replicas: 2
    volumes:
      - { source: www, target: /www, readOnly: true }
    bindings:
      - port: 5080
        containerPort: 8080
    readiness:
      http: { path: / }
      period: 500ms
      timeout: 2s
      failureThreshold: 20
  - name: client
    image: ${image}
    env:
      PRICE: 'costs $5'
    dependsOn:
      web: { condition: ready }
      setup: { condition: completed }
    args: ['sh', '-c', 'echo "$PRICE"; while true; do wget -q -O - "http://$SERVICE__WEB__HOST:$SERVICE__WEB__PORT/" && echo "via $SERVICE__WEB__HOST:$SERVICE__WEB__PORT"; sleep 1; done']
`)
  const loaded = await loadApplication(join(directory, 'app.yaml'))
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
  const result = generateCompose(loaded.application)
  if (!result.ok) throw new Error(result.problems.join('\n'))
  composeFile = join(directory, 'docker-compose.yml')
  writeFileSync(composeFile, composeYaml(result.value))
}, 60_000)

afterAll(async () => {
  if (composeFile) await compose('down', '--volumes', '--timeout', '1').catch(() => undefined)
  if (directory) rmSync(directory, { recursive: true, force: true })
}, 60_000)

describe('a generated Compose file on the Docker engine', () => {
  it('starts the job, then the healthy web replicas, then the client that finds them by name', async () => {
    await compose('up', '--detach')
    const states = (await compose('ps')).stdout
    expect(states).toMatch(new RegExp(`${project}_setup_1 .* Exit 0`))
    expect(states.match(new RegExp(`${project}_web_\\d .* Up \\(healthy\\)`, 'g'))).toHaveLength(2)
    const logs = await waitFor(async () => {
      const out = (await compose('logs', '--no-color', 'client')).stdout
      return out.includes('via web:8080') ? out : undefined
    }, 'the client to reach web', 30_000)
    expect(logs).toContain('hello from web')
    // a "$" of app.yaml reaches the container as written, not as Compose's interpolation
    expect(logs).toContain('costs $5')
    // each replica publishes its port on one of its own, as the note says
    for (const index of [1, 2]) {
      const published = (await compose('port', '--index', String(index), 'web', '8080')).stdout.trim()
      const port = published.slice(published.lastIndexOf(':') + 1)
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello from web\n')
    }
  }, 120_000)
})
