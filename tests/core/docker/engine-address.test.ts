// DOCKER_HOST as the docker CLI reads it: unix sockets, tcp (TLS on 2376), ssh.
import { describe, expect, it } from 'vitest'
import { defaultSocketPath, engineAddress } from '../../../src-main/core/docker/engine-address'

describe('engine address', () => {
  it('uses the local socket when nothing is set', () => {
    const address = engineAddress(undefined, {})
    expect(address.text).toBe(`unix://${defaultSocketPath()}`)
    expect(address.options).toMatchObject({ socketPath: defaultSocketPath(), host: undefined })
  })

  it('reads DOCKER_HOST, and an explicit address wins over it', () => {
    expect(engineAddress(undefined, { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).text).toBe('unix:///run/user/1000/docker.sock')
    const explicit = engineAddress('unix:///tmp/engine.sock', { DOCKER_HOST: 'tcp://10.0.0.5:2375' })
    expect(explicit.options).toMatchObject({ socketPath: '/tmp/engine.sock', host: undefined, protocol: 'http' })
  })

  it('speaks http to tcp:// and https to port 2376 or with DOCKER_TLS_VERIFY', () => {
    expect(engineAddress('tcp://10.0.0.5:2375', {})).toMatchObject({
      text: 'tcp://10.0.0.5:2375',
      options: { protocol: 'http', host: '10.0.0.5', port: '2375', socketPath: undefined },
    })
    expect(engineAddress('10.0.0.5:2376', {}).options.protocol).toBe('https')
    expect(engineAddress('tcp://engine.local:2375', { DOCKER_TLS_VERIFY: '1' }).options.protocol).toBe('https')
  })

  it('reaches an ssh engine as the named user', () => {
    expect(engineAddress('ssh://dev@build-box', { SSH_AUTH_SOCK: '/tmp/agent.sock' })).toMatchObject({
      text: 'ssh://dev@build-box',
      options: { protocol: 'ssh', host: 'build-box', port: 22, username: 'dev', sshOptions: { agent: '/tmp/agent.sock' } },
    })
  })

  it('says what it expected for an address it cannot use', () => {
    expect(() => engineAddress('ftp://example', {})).toThrow('DOCKER_HOST "ftp://example": unsupported scheme ftp: (expected unix, tcp or ssh)')
    expect(() => engineAddress('tcp://[bad', {})).toThrow('DOCKER_HOST "tcp://[bad" is not an engine address')
  })
})
