export { Configuration, configuration, type EnvironmentSource } from './configuration.js'
export {
  getConnectionString, getServiceUri, knownBindings, knownServices, resolveServiceBinding, type ServiceBinding,
} from './discovery.js'
export { MissingClientLibraryError, UnknownBindingError, UnknownServiceError } from './errors.js'
export { HttpClient, HttpError, HttpRequestError, type HttpClientOptions, type HttpRequestInit } from './http-client.js'
export {
  createClientFactory, type ClientCreator, type ClientFactory, type ClientFactoryOptions, type ClientProvider,
} from './client-factory.js'
export { brokerOf, createPubSubClient } from './pubsub/create-pubsub-client.js'
export type {
  PubSubClient, PubSubClientOptions, PubSubHandler, PubSubLogger, PubSubMessage, PubSubPayload, Unsubscribe,
} from './pubsub/pubsub-client.js'
