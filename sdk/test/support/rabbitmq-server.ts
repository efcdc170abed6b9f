// A private RabbitMQ node for the tests: its own node name, ports, data and log folders and its own
// epmd, so it never touches a system broker or another engineer's node. Debian's
// /usr/sbin/rabbitmq-server switches to the rabbitmq user and shared folders, so the tests call the
// script behind it.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { exited, killOnExit, stopGroup } from './child-process.js'
import { freePort, waitForPort } from './ports.js'

const RABBITMQ_SERVER = process.env.RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server'
const BOOT_TIMEOUT_MS = 120_000

export class RabbitMqServer {
  private child?: ChildProcess
  private output = ''

  private constructor(
    readonly port: number,
    private readonly epmdPort: number,
    private readonly directory: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`
  }

  static async start(): Promise<RabbitMqServer> {
    const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()]
    const directory = mkdtempSync(join(tmpdir(), 'micronetes-sdk-rabbitmq-'))
    writeFileSync(join(directory, 'enabled_plugins'), '[].\n')
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: directory,
      RABBITMQ_NODENAME: `sdktest${port}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_MNESIA_BASE: join(directory, 'mnesia'),
      RABBITMQ_LOG_BASE: join(directory, 'log'),
      RABBITMQ_LOGS: '-',
      RABBITMQ_PID_FILE: join(directory, 'rabbitmq.pid'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(directory, 'enabled_plugins'),
      RABBITMQ_PLUGINS_EXPAND_DIR: join(directory, 'plugins-expand'),
      RABBITMQ_CONFIG_FILE: join(directory, 'rabbitmq'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(directory, 'advanced.config'),
      RABBITMQ_CONF_ENV_FILE: join(directory, 'rabbitmq-env.conf'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    }
    const server = new RabbitMqServer(port, epmdPort, directory, env)
    process.once('exit', () => server.killEpmd())
    try {
      await server.boot()
    } catch (error) {
      await server.dispose()
      throw error
    }
    return server
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.boot()
  }

  async stop(): Promise<void> {
    if (this.child) await stopGroup(this.child, 20_000)
    this.child = undefined
  }

  /** Stops the node and its epmd and removes its folders. */
  async dispose(): Promise<void> {
    await this.stop()
    this.killEpmd()
    rmSync(this.directory, { recursive: true, force: true })
  }

  private killEpmd(): void {
    // epmd daemonizes out of the node's process group; ask it to quit on its own port
    spawnSync('epmd', ['-kill'], { env: { ...process.env, ERL_EPMD_PORT: String(this.epmdPort) }, stdio: 'ignore' })
  }

  private async boot(): Promise<void> {
    this.output = ''
    const child = spawn(RABBITMQ_SERVER, [], { env: this.env, cwd: this.directory, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    killOnExit(child)
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    let spawnError: Error | undefined
    child.once('error', (error) => (spawnError = error))
    await waitForPort(this.port, BOOT_TIMEOUT_MS, () => {
      if (spawnError) return `could not start ${RABBITMQ_SERVER}: ${spawnError.message}`
      if (exited(child)) return `rabbitmq-server exited (${child.exitCode ?? child.signalCode}): ${this.output.slice(-2000)}`
      return undefined
    })
  }
}
