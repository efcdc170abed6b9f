import { describe, expect, it } from 'vitest'

import {
  Configuration, UnknownBindingError, UnknownServiceError, getConnectionString, getServiceUri, knownServices, resolveServiceBinding,
} from '../src/index.js'

// what Micronetes injects for: web (default binding + named 'management'), redis (protocol redis,
// connection string), api-gateway (a dash in its name), db (external, connection string only)
const injected = new Configuration({
  SERVICE__WEB__HOST: 'localhost',
  SERVICE__WEB__PORT: '5005',
  SERVICE__WEB__PROTOCOL: 'http',
  SERVICE__WEB__MANAGEMENT__HOST: 'localhost',
  SERVICE__WEB__MANAGEMENT__PORT: '5006',
  SERVICE__WEB__MANAGEMENT__PROTOCOL: 'https',
  WEB_SERVICE_HOST: 'localhost',
  WEB_SERVICE_PORT: '5005',
  WEB_MANAGEMENT_SERVICE_PORT: '5006',
  SERVICE__REDIS__HOST: 'localhost',
  SERVICE__REDIS__PORT: '6380',
  SERVICE__REDIS__PROTOCOL: 'redis',
  CONNECTIONSTRINGS__REDIS: 'localhost:6380',
  'SERVICE__API-GATEWAY__PORT': '7000',
  API_GATEWAY_SERVICE_PORT: '7000',
  CONNECTIONSTRINGS__DB: 'Server=db.example;Database=shop',
  APP_INSTANCE: 'worker_3f9a1c2b-1',
})

describe('discovery', () => {
  it('finds the default binding of a service', () => {
    expect(getServiceUri('web', undefined, injected).href).toBe('http://localhost:5005/')
  })

  it('finds a named binding by both spellings and in any case', () => {
    expect(getServiceUri('web', 'management', injected).href).toBe('https://localhost:5006/')
    expect(getServiceUri('web:management', undefined, injected).href).toBe('https://localhost:5006/')
    expect(getServiceUri('WEB:Management', undefined, injected).href).toBe('https://localhost:5006/')
  })

  it('defaults the host to localhost and keeps other protocols', () => {
    const redis = getServiceUri('redis', undefined, injected)
    expect(redis.protocol).toBe('redis:')
    expect(redis.hostname).toBe('localhost')
    expect(redis.port).toBe('6380')
    expect(getServiceUri('api-gateway', undefined, injected).href).toBe('http://localhost:7000/')
  })

  it('gives connection strings, and undefined for a binding without one', () => {
    expect(getConnectionString('redis', undefined, injected)).toBe('localhost:6380')
    expect(getConnectionString('db', undefined, injected)).toBe('Server=db.example;Database=shop')
    expect(getConnectionString('web', undefined, injected)).toBeUndefined()
  })

  it('refuses an address for a service that only has a connection string, and says what to use', () => {
    expect(() => getServiceUri('db', undefined, injected)).toThrow(/service 'db' has no port.*getConnectionString\('db'\)/)
  })

  it('names an unknown service and lists the known ones', () => {
    const attempt = () => getServiceUri('billing', undefined, injected)
    expect(attempt).toThrow(UnknownServiceError)
    expect(attempt).toThrow("Unknown service 'billing': neither SERVICE__BILLING__* nor CONNECTIONSTRINGS__BILLING is set. Known services: api-gateway, db, redis, web.")
    expect(() => getConnectionString('billing', undefined, injected)).toThrow(/Known services: api-gateway, db, redis, web/)
    expect(knownServices(injected)).toEqual(['api-gateway', 'db', 'redis', 'web'])
  })

  it('says when no service is known at all', () => {
    expect(() => getServiceUri('web', undefined, new Configuration({ PATH: '/bin' }))).toThrow(/is it running under Micronetes\?/)
  })

  it('names an unknown binding and lists the service bindings', () => {
    const attempt = () => getServiceUri('web', 'metrics', injected)
    expect(attempt).toThrow(UnknownBindingError)
    expect(attempt).toThrow("Service 'web' has no binding 'metrics'. Its bindings: (default), management.")
  })

  it('answers to the bare name when the only binding is named', () => {
    const config = new Configuration({ SERVICE__QUEUE__AMQP__PORT: '5672', SERVICE__QUEUE__AMQP__PROTOCOL: 'amqp' })
    expect(getServiceUri('queue', undefined, config).href).toBe('amqp://localhost:5672')
  })

  it('rejects a port that is not a number, naming the variable', () => {
    const config = new Configuration({ SERVICE__WEB__PORT: 'eighty' })
    expect(() => getServiceUri('web', undefined, config)).toThrow("SERVICE__WEB__PORT is 'eighty', which is not a port number (1-65535).")
  })

  it('rejects a binding given twice', () => {
    expect(() => getServiceUri('web:management', 'management', injected)).toThrow(/either in the name/)
  })

  it('falls back to Kubernetes-style variables, as in a cluster', () => {
    const cluster = new Configuration({
      ORDERS_API_SERVICE_HOST: '10.0.0.12',
      ORDERS_API_SERVICE_PORT: '80',
      ORDERS_API_SERVICE_PORT_GRPC: '9090',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    })
    expect(getServiceUri('orders-api', undefined, cluster).href).toBe('http://10.0.0.12/')
    expect(getServiceUri('orders-api', 'grpc', cluster).href).toBe('http://10.0.0.12:9090/')
    expect(() => getServiceUri('billing', undefined, cluster)).toThrow(/Known services: kubernetes, orders-api\./)
  })

  it('describes the whole binding', () => {
    expect(resolveServiceBinding('redis', undefined, injected)).toMatchObject({
      service: 'redis', host: 'localhost', port: 6380, protocol: 'redis', connectionString: 'localhost:6380',
    })
  })
})
