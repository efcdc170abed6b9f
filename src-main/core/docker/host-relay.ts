// On a Linux engine a container's host.docker.internal is the bridge gateway (see
// host-gateway.ts), while the proxies and most host services listen on loopback only. For
// every host port a container is told about (the launch's hostPorts: the bindings its
// discovery variables point at host.docker.internal), the runner relays gateway:port to
// 127.0.0.1:port, so those variables work from inside containers. Where something already
// listens on gateway:port, that one is left to answer.
import { createConnection, createServer, type Server, type Socket } from 'node:net'

export class HostRelays {
  private readonly relays = new Map<string, Promise<Server | undefined>>()
  private readonly sockets = new Set<Socket>()
  private gateways: Promise<string[]> | undefined

  /** `findGateways`: where containers arrive on this machine; none means loopback is enough */
  constructor(private readonly findGateways: () => Promise<string[]>) {}

  /** starts the relays to these host ports; never fails a launch */
  async ensureFor(ports: readonly number[]): Promise<void> {
    if (ports.length === 0) return
    // the bridge does not move while the engine runs: asked once
    this.gateways ??= this.findGateways().catch(() => [])
    const gateways = await this.gateways
    const starting: Promise<unknown>[] = []
    for (const gateway of gateways) {
      for (const port of ports) {
        const key = `${gateway}:${port}`
        let relay = this.relays.get(key)
        if (!relay) {
          relay = this.listen(gateway, port)
          this.relays.set(key, relay)
        }
        starting.push(relay)
      }
    }
    await Promise.all(starting)
  }

  async close(): Promise<void> {
    const servers = await Promise.all(this.relays.values())
    this.relays.clear()
    for (const socket of this.sockets) socket.destroy()
    await Promise.all(servers.map((server) => (server ? new Promise((resolve) => server.close(resolve)) : undefined)))
  }

  private listen(gateway: string, port: number): Promise<Server | undefined> {
    const server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = createConnection({ host: '127.0.0.1', port, allowHalfOpen: true })
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.once('close', () => this.sockets.delete(socket))
        // a refused or reset side closes the other: the caller sees what it would see directly
        socket.on('error', () => (socket === client ? upstream : client).destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    return new Promise((resolve) => {
      // taken (someone serves it already) or not an address here: nothing to relay
      server.once('error', () => resolve(undefined))
      server.listen({ host: gateway, port, exclusive: true }, () => resolve(server))
    })
  }
}
