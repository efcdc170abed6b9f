import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type Server, type Socket } from 'node:net'
import { acceptingAddress, acceptsOn } from '../../src-main/core/readiness'
import { freePort } from '../free-port'

const servers: Server[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

function listen(host: string, onConnection: (socket: Socket) => void = () => {}): Promise<number> {
  const server = createServer(onConnection)
  servers.push(server)
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)))
}

describe('readiness', () => {
  it('finds the loopback address a port listens on, IPv4 or IPv6', async () => {
    expect(await acceptingAddress(await listen('127.0.0.1'))).toBe('127.0.0.1')
    expect(await acceptingAddress(await listen('::1'))).toBe('::1')
    expect(await acceptingAddress(await freePort())).toBeUndefined()
  })

  it('with a hold, does not count a port that accepts and drops at once (the Docker forwarder before the server listens)', async () => {
    const dropping = await listen('127.0.0.1', (socket) => socket.destroy())
    expect(await acceptsOn('127.0.0.1', dropping)).toBe(true)
    expect(await acceptsOn('127.0.0.1', dropping, 150)).toBe(false)
    const holding = await listen('127.0.0.1', (socket) => socket.on('data', () => {}))
    expect(await acceptsOn('127.0.0.1', holding, 150)).toBe(true)
  })
})
