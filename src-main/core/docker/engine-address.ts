// Where the Docker engine is and how to reach it. DOCKER_HOST is honoured the way the docker
// CLI does (unix socket, tcp with optional TLS, ssh), so a remote engine works; the address
// is also kept as text, because every "not reachable" message names it.
import Docker from 'dockerode'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface EngineAddress {
  /** as a person would write it, e.g. unix:///var/run/docker.sock or tcp://10.0.0.5:2375 */
  text: string
  options: Docker.DockerOptions
}

export function defaultSocketPath(): string {
  // Docker Desktop's per-user socket comes first where it exists, as the docker CLI does
  const userSocket = join(homedir(), '.docker', 'run', 'docker.sock')
  return existsSync(userSocket) ? userSocket : '/var/run/docker.sock'
}

/** dockerHost, else DOCKER_HOST, else the local socket */
export function engineAddress(dockerHost?: string, env: NodeJS.ProcessEnv = process.env): EngineAddress {
  const raw = (dockerHost ?? env.DOCKER_HOST ?? '').trim()
  if (raw === '') return socketAddress(defaultSocketPath())
  if (raw.startsWith('unix://')) return socketAddress(raw.slice('unix://'.length) || defaultSocketPath())
  if (raw.startsWith('npipe://')) {
    const pipe = raw.slice('npipe://'.length) || '//./pipe/docker_engine'
    return { text: `npipe://${pipe}`, options: { socketPath: pipe, host: undefined, protocol: 'http' } }
  }

  const withScheme = raw.includes('://') ? raw : `tcp://${raw}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new Error(`DOCKER_HOST "${raw}" is not an engine address (expected unix:///path, tcp://host:port or ssh://user@host)`)
  }
  const text = `${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host}`

  if (url.protocol === 'ssh:') {
    return {
      text,
      options: {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port || 22,
        username: decodeURIComponent(url.username) || undefined,
        socketPath: undefined,
        sshOptions: { agent: env.SSH_AUTH_SOCK },
      },
    }
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`DOCKER_HOST "${raw}": unsupported scheme ${url.protocol} (expected unix, tcp or ssh)`)
  }

  const port = url.port || (url.protocol === 'https:' ? '2376' : '2375')
  const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || port === '2376'
  const options: Docker.DockerOptions = {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port,
    socketPath: undefined,
  }
  if (tls && env.DOCKER_CERT_PATH) {
    options.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'))
    options.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'))
    options.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'))
  }
  return { text: `${url.protocol === 'https:' ? 'https:' : 'tcp:'}//${url.hostname}:${port}`, options }
}

function socketAddress(socketPath: string): EngineAddress {
  // host and protocol set so a DOCKER_HOST that docker-modem reads by itself cannot override them
  return { text: `unix://${socketPath}`, options: { socketPath, host: undefined, protocol: 'http' } }
}

export function connectToEngine(address: EngineAddress): Docker {
  return new Docker(address.options)
}
