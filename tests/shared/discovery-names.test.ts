import { describe, expect, it } from 'vitest'
import { bindingVariables } from '../../src-main/core/discovery-env'
import { isDiscoveryVariable } from '../../src-shared/discovery-names'

describe('discovery names', () => {
  it('marks the discovery variables the README lists', () => {
    for (const name of ['SERVICE__WEB__HOST', 'SERVICE__WEB__METRICS__PORT', 'WEB_SERVICE_PORT', 'WEB_METRICS_SERVICE_PROTOCOL', 'CONNECTIONSTRINGS__DB', 'PORT', 'APP_INSTANCE', 'ASPNETCORE_URLS']) {
      expect(isDiscoveryVariable(name), name).toBe(true)
    }
    for (const name of ['PATH', 'HOME', 'NODE_ENV', 'SERVICE_NAME', 'MY_PORT']) expect(isDiscoveryVariable(name), name).toBe(false)
  })

  it('recognises every variable the core sets, whatever the service and binding names', () => {
    const env = bindingVariables(
      'my-db',
      [
        { host: 'localhost', protocol: 'tcp', port: 5432, connectionString: 'Host=${host};Port=${port}' },
        { name: 'admin-ui', host: 'localhost', protocol: 'http', port: 8081, connectionString: 'http://${host}:${port}' },
      ],
      false,
    )
    expect(Object.keys(env).length).toBeGreaterThan(10)
    for (const name of Object.keys(env)) expect(isDiscoveryVariable(name), name).toBe(true)
  })
})
