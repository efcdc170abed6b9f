// One factory per service process hands out clients for the other services by name, the way the
// orchestrator names them; a service can add its own kinds (an ioredis instance, a gRPC stub...).

import { configuration as readConfiguration, type Configuration } from './configuration.js'
import { resolveServiceBinding, type ServiceBinding } from './discovery.js'
import { HttpClient, type HttpClientOptions } from './http-client.js'
import { createPubSubClient } from './pubsub/create-pubsub-client.js'
import type { PubSubClient, PubSubClientOptions } from './pubsub/pubsub-client.js'

export interface ClientProvider<TClient, TOptions = undefined> {
  /** `name` is `'service'` or `'service:binding'` */
  createClient(name: string, options?: TOptions): TClient
}

export type ClientCreator<TClient> = (target: ServiceBinding, configuration: Configuration) => TClient

export type ClientFactory<TKinds extends object = object> = {
  readonly configuration: Configuration
  readonly http: ClientProvider<HttpClient, HttpClientOptions & { binding?: string }>
  readonly pubsub: ClientProvider<PubSubClient, PubSubClientOptions & { binding?: string }>
  /**
   * Adds a client kind under a name: afterwards `factory[kind].createClient('cache')` calls
   * `create` with where the service `cache` is.
   */
  register<K extends string, TClient>(
    kind: K extends keyof TKinds | 'http' | 'pubsub' | 'register' | 'configuration' | 'provider' ? never : K,
    create: ClientCreator<TClient>,
  ): ClientFactory<TKinds & { readonly [P in K]: ClientProvider<TClient> }>
  /** The provider registered under a kind, for code that picks the kind at run time. */
  provider<TClient = unknown>(kind: string): ClientProvider<TClient>
} & TKinds

export interface ClientFactoryOptions {
  /** where services are looked up (default: this process's environment) */
  configuration?: Configuration
}

const RESERVED = new Set(['http', 'pubsub', 'register', 'configuration', 'provider'])

export function createClientFactory(options: ClientFactoryOptions = {}): ClientFactory {
  const config = options.configuration ?? readConfiguration()
  const providers = new Map<string, ClientProvider<unknown>>()

  const provider = <TClient>(create: ClientCreator<TClient>): ClientProvider<TClient> => ({
    createClient: (name: string) => create(resolveServiceBinding(name, undefined, config), config),
  })

  const factory = {
    configuration: config,
    http: {
      createClient: (name: string, { binding, ...rest }: HttpClientOptions & { binding?: string } = {}) =>
        new HttpClient(resolveServiceBinding(name, binding, config), rest),
    },
    pubsub: {
      createClient: (name: string, { binding, ...rest }: PubSubClientOptions & { binding?: string } = {}) =>
        createPubSubClient(resolveServiceBinding(name, binding, config), rest),
    },
    register(kind: string, create: ClientCreator<unknown>) {
      if (typeof kind !== 'string' || kind.trim() === '') throw new TypeError('A client kind needs a name.')
      if (RESERVED.has(kind)) throw new Error(`'${kind}' is built in: register your client kind under another name.`)
      if (providers.has(kind)) throw new Error(`A client kind named '${kind}' is already registered.`)
      const registered = provider(create)
      providers.set(kind, registered)
      Object.defineProperty(factory, kind, { value: registered, enumerable: true })
      return factory
    },
    provider(kind: string) {
      if (kind === 'http') return factory.http
      if (kind === 'pubsub') return factory.pubsub
      const found = providers.get(kind)
      if (!found) {
        const known = ['http', 'pubsub', ...providers.keys()].join(', ')
        throw new Error(`No client kind named '${kind}' is registered. Known kinds: ${known}.`)
      }
      return found
    },
  }
  return factory as unknown as ClientFactory
}
