// Relays bytes both ways between an accepted client and its backend, keeping TCP's half-close:
// a FIN from one side becomes a FIN to the other once what was sent before it is delivered.
// Plain 'data' handlers with explicit backpressure do less per chunk than stream.pipe().
import type net from 'node:net'

function forward(from: net.Socket, to: net.Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause()
  })
  to.on('drain', () => from.resume())
  from.on('end', () => to.end())
}

/** calls `onClose` once, after both sockets are closed */
export function relay(client: net.Socket, upstream: net.Socket, onClose: () => void): void {
  forward(client, upstream)
  forward(upstream, client)
  let open = 2
  const closed = (other: net.Socket) => (hadError: boolean): void => {
    // a reset or error on one side: nothing more can be delivered, so drop the other too
    if (hadError) other.destroy()
    if (--open === 0) onClose()
  }
  client.once('close', closed(upstream))
  upstream.once('close', closed(client))
  // errors surface as close(hadError); the listeners only keep them from being thrown
  client.on('error', noop)
  upstream.on('error', noop)
  client.resume()
}

function noop(): void {}
