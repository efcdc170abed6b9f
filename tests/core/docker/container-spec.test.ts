// The create request for one replica, checked without an engine.
import { describe, expect, it } from 'vitest'
import { containerSpec, publishedPorts } from '../../../src-main/core/docker/container-spec'
import type { Application, Service } from '../../../src-shared/app-model'
import { containerService } from './docker-fixture'
import { launchRequest } from './launch-helper'

function application(service: Service): Application {
  return { name: 'spec', source: '/apps/spec/app.yaml', directory: '/apps/spec', services: [service] }
}

describe('container spec', () => {
  it('publishes the container port of each binding on its internal host port', () => {
    const service = containerService('web', {
      bindings: [
        { port: 5000, containerPort: 80, host: 'localhost', protocol: 'http' },
        { name: 'admin', port: 5001, host: 'localhost', protocol: 'http' },
        { name: 'metrics', host: 'localhost', protocol: 'http' },
      ],
    })
    expect(publishedPorts(service, [41000, 41001, 41002])).toEqual([
      { containerPort: 80, hostPort: 41000 },
      { containerPort: 5001, hostPort: 41001 },
      { containerPort: 41002, hostPort: 41002 },
    ])
    expect(publishedPorts(service, [41000, 41001, 41002], { PORT: '80;5001;5002' })[2]).toEqual({ containerPort: 5002, hostPort: 41002 })
    expect(() => publishedPorts(service, [41000])).toThrow('service web: 3 binding(s) but 1 internal port(s) given')
  })

  it('asks for init, no restart policy, host.docker.internal, labels, mounts and the network alias', () => {
    const service = containerService('api', {
      args: ['httpd', '-f'],
      workingDirectory: '/srv',
      bindings: [{ port: 8080, host: 'localhost', protocol: 'http' }],
      volumes: [{ source: '/home/dev/data', target: '/data', readOnly: true }],
    })
    const spec = containerSpec(launchRequest(application(service), service, 2, [42000], [], { A: 'b' }), {
      name: 'api_test-2.cafe0123',
      labels: { 'io.micronetes.run': 'cafe0123' },
      network: 'micronetes-spec-cafe0123',
    })
    expect(spec).toMatchObject({
      name: 'api_test-2.cafe0123',
      Image: 'micronetes-test/busybox:1',
      Cmd: ['httpd', '-f'],
      WorkingDir: '/srv',
      Tty: false,
      Env: ['APP_INSTANCE=api_test-2', 'A=b'],
      Labels: { 'io.micronetes.run': 'cafe0123', 'io.micronetes.service': 'api', 'io.micronetes.replica': 'api_test-2' },
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: {
        Init: true,
        RestartPolicy: { Name: 'no' },
        ExtraHosts: ['host.docker.internal:host-gateway'],
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '42000' }] },
        Mounts: [{ Type: 'bind', Source: '/home/dev/data', Target: '/data', ReadOnly: true }],
        NetworkMode: 'micronetes-spec-cafe0123',
      },
      NetworkingConfig: { EndpointsConfig: { 'micronetes-spec-cafe0123': { Aliases: ['api'] } } },
    })
  })

  it("keeps the image's own command when the service has no args", () => {
    const service = containerService('plain')
    const spec = containerSpec(launchRequest(application(service), service, 1, [], []), { name: 'plain', labels: {} })
    expect(spec.Cmd).toBeUndefined()
    expect(spec.HostConfig?.NetworkMode).toBeUndefined()
  })
})
