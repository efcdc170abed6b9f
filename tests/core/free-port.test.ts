import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { PortBook } from '../../src-main/core/port-book'

const range = (() => {
  try {
    return readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number]
  } catch {
    return undefined
  }
})()

describe('PortBook', () => {
  // outgoing connections take their local port from the ephemeral range: a replica's port,
  // chosen before the replica listens, must not be one of those
  it.runIf(range)('hands out ports below the ephemeral range, each once, each free to listen on', async () => {
    const book = new PortBook()
    const ports = new Set<number>()
    for (let i = 0; i < 50; i++) ports.add(await book.freePort())
    expect(ports.size).toBe(50)
    for (const port of ports) expect(port).toBeLessThan(range![0])
    const port = [...ports][0]!
    await new Promise<void>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen({ port, exclusive: true }, () => server.close(() => resolve()))
    })
  })

  it('never hands out a port that is taken', async () => {
    const server = createServer()
    const held = await new Promise<number>((resolve) => server.listen(0, () => resolve((server.address() as { port: number }).port)))
    try {
      const book = new PortBook()
      for (let i = 0; i < 20; i++) expect(await book.freePort(new Set([held]))).not.toBe(held)
    } finally {
      server.close()
    }
  })
})
