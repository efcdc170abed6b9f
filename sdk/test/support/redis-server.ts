import { spawn, type ChildProcess } from 'node:child_process'

import { exited, killOnExit, stopGroup } from './child-process.js'
import { freePort, waitForPort } from './ports.js'

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server'

/** A private redis-server on a free loopback port, without persistence, stopped by `stop()`. */
export class RedisServer {
  private child?: ChildProcess
  private output = ''

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort())
    await server.boot()
    return server
  }

  /** Kills the server and starts it again on the same port, as a broker restart. */
  async restart(): Promise<void> {
    await this.stop()
    await this.boot()
  }

  async stop(): Promise<void> {
    if (this.child) await stopGroup(this.child)
    this.child = undefined
  }

  private async boot(): Promise<void> {
    this.output = ''
    const child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    killOnExit(child)
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
    let spawnError: Error | undefined
    child.once('error', (error) => (spawnError = error))
    await waitForPort(this.port, 15_000, () => {
      if (spawnError) return `could not start ${REDIS_SERVER}: ${spawnError.message}`
      if (exited(child)) return `redis-server exited (${child.exitCode ?? child.signalCode}): ${this.output.slice(-1000)}`
      return undefined
    })
  }
}
