// A registry on 127.0.0.1 that serves one image, speaking the registry HTTP API v2 that the
// engine pulls with. Nothing can be pulled from the internet here, and the engine allows
// plain HTTP to registries on loopback, so pulls (progress, success, unknown names) are
// tested against this one.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { gzipSync } from 'node:zlib'

export interface LocalRegistry {
  /** host:port, the prefix of image names it serves */
  address: string
  /** requests it answered, e.g. "HEAD /v2/micronetes-test/pulled/manifests/1 200" */
  requests: string[]
  /** the layer as the engine's pull progress names it: the first 12 hex digits of its digest */
  layerId: string
  close(): Promise<void>
}

const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json'

function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** serves `repository:tag` with one layer: the files of `rootfs` (a folder) */
export async function startLocalRegistry(repository: string, tag: string, rootfs: string, cmd: string[]): Promise<LocalRegistry> {
  const tar = execFileSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 })
  const layer = gzipSync(tar)
  const config = Buffer.from(
    JSON.stringify({
      architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/bin'], Cmd: cmd },
      rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
      history: [{ created_by: 'micronetes tests' }],
    }),
  )
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: digestOf(config) },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: digestOf(layer) }],
    }),
  )
  const blobs = new Map([
    [digestOf(config), config],
    [digestOf(layer), layer],
  ])
  const requests: string[] = []

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? ''
    const send = (status: number, body: Buffer, type: string, headers: Record<string, string> = {}) => {
      requests.push(`${request.method} ${path} ${status}`)
      response.writeHead(status, { 'content-type': type, 'content-length': String(body.length), 'docker-distribution-api-version': 'registry/2.0', ...headers })
      response.end(request.method === 'HEAD' ? undefined : body)
    }
    const unknown = (code: string) => send(404, Buffer.from(JSON.stringify({ errors: [{ code, message: `${code.toLowerCase().replace('_', ' ')}` }] })), 'application/json')

    if (path === '/v2/' || path === '/v2') return send(200, Buffer.from('{}'), 'application/json')
    const manifestMatch = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path)
    if (manifestMatch) {
      const [, name, reference] = manifestMatch
      if (name !== repository || (reference !== tag && reference !== digestOf(manifest))) return unknown('MANIFEST_UNKNOWN')
      return send(200, manifest, MANIFEST_TYPE, { 'docker-content-digest': digestOf(manifest) })
    }
    const blobMatch = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path)
    if (blobMatch) {
      const blob = blobMatch[1] === repository ? blobs.get(blobMatch[2] as string) : undefined
      if (!blob) return unknown('BLOB_UNKNOWN')
      return send(200, blob, 'application/octet-stream', { 'docker-content-digest': blobMatch[2] as string })
    }
    return unknown('NAME_UNKNOWN')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as { port: number }
  return {
    address: `127.0.0.1:${port}`,
    requests,
    layerId: digestOf(layer).slice('sha256:'.length, 'sha256:'.length + 12),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
