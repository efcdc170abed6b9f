// Which image runs each service on a cluster or a Compose host. A container service has one;
// a project or a program needs one named under deploy:, because a cluster cannot run this
// machine's files. Generation refuses to start until every service has one.
import type { Application, Service } from '../../../src-shared/app-model'

/** the image of a service there, or undefined when it has none (an external service needs none) */
export function targetImage(service: Service): string | undefined {
  return service.deploy?.image ?? (service.kind === 'container' ? service.image : undefined)
}

/** one line per service that cannot run there, saying what to add; empty when every one can */
export function missingImages(application: Application): string[] {
  return application.services
    .filter((s) => s.kind !== 'external' && targetImage(s) === undefined)
    .map((s) => `service "${s.name}" (${s.kind === 'project' ? 'a project' : 'a program'}) has no image to run there: build one and name it under the service, e.g. deploy: { image: registry.example.com/${s.name}:1.0 }`)
}
