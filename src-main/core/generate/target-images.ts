// Which image runs each service on a cluster or a Compose host. A container service has one;
// a project or a program needs one named under deploy:, because a cluster cannot run this
// machine's files; a service built from a Dockerfile (Tye's dockerFile) is built by Compose
// itself, while a cluster pulls it from the registry --registry names. Generation refuses to
// start until every service has one.
import type { Application, Service } from '../../../src-shared/app-model'

export interface ImageOptions {
  /** the registry a built image is tagged for: <registry>/<name>:<tag> */
  registry?: string
  /** true: the target builds a Dockerfile's image itself (Compose's build:) */
  buildsImages?: boolean
}

/** the last part of an image reference: "shop/web:dev" is "web:dev" */
function imageName(reference: string): string {
  return reference.slice(reference.lastIndexOf('/') + 1)
}

/** the image of a service there, or undefined when it has none (an external service needs none) */
export function targetImage(service: Service, options: ImageOptions = {}): string | undefined {
  if (service.deploy?.image !== undefined) return service.deploy.image
  if (service.dockerBuild !== undefined && service.image !== undefined) {
    if (options.registry !== undefined) return `${options.registry.replace(/\/+$/, '')}/${imageName(service.image)}`
    return options.buildsImages ? service.image : undefined
  }
  return service.kind === 'container' ? service.image : undefined
}

/** one line per service that cannot run there, saying what to add; empty when every one can */
export function missingImages(application: Application, options: ImageOptions = {}): string[] {
  return application.services
    .filter((s) => s.kind !== 'external' && targetImage(s, options) === undefined)
    .map((s) =>
      s.dockerBuild !== undefined
        ? `service "${s.name}" builds its image from a Dockerfile, which a cluster cannot pull: give --registry (the image becomes <registry>/${imageName(s.image ?? s.name)}; push it there), or name one under the service, e.g. deploy: { image: registry.example.com/${s.name}:1.0 }`
        : `service "${s.name}" (${s.kind === 'project' ? 'a project' : 'a program'}) has no image to run there: build one and name it under the service, e.g. deploy: { image: registry.example.com/${s.name}:1.0 }`,
    )
}
