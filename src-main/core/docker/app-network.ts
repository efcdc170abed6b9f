// With two or more container services, the application gets a bridge network of its own,
// where each container reaches the others by service name (a network alias; replicas of a
// service share it and the engine's DNS answers with all of them).
import type Docker from 'dockerode'
import type { Application } from '../../../src-shared/app-model'
import { statusOf } from './engine-errors'
import type { RunIdentity } from './labels'

export function needsNetwork(application: Application): boolean {
  if (application.network !== undefined) return true
  return application.services.filter((service) => service.kind === 'container').length >= 2
}

export function networkName(application: Application, run: RunIdentity): string {
  if (application.network !== undefined) return application.network
  const slug = application.name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'app'
  return `micronetes-${slug}-${run.runId}`
}

export class ApplicationNetwork {
  private creating: Promise<string> | undefined

  constructor(
    private readonly docker: Docker,
    readonly name: string,
    private readonly labels: Record<string, string>,
    /** a network the application names (Tye's `network`): used as it is when it exists, and then left in place */
    private readonly named = false,
  ) {}

  private createdHere = false

  /** creates it on first use; replicas launched together share the one request */
  ensure(): Promise<string> {
    this.creating ??= (this.named ? this.docker.getNetwork(this.name).inspect().then(() => true, () => false) : Promise.resolve(false))
      .then(async (exists) => {
        if (!exists) {
          await this.docker.createNetwork({ Name: this.name, Driver: 'bridge', CheckDuplicate: true, Labels: this.labels })
          this.createdHere = true
        }
        return this.name
      })
      .catch((error: unknown) => {
        this.creating = undefined
        throw error
      })
    return this.creating
  }

  get exists(): boolean {
    return this.creating !== undefined
  }

  async remove(): Promise<void> {
    if (!this.creating || (this.named && !this.createdHere)) return
    const created = await this.creating.then(() => true, () => false)
    this.creating = undefined
    if (!created) return
    try {
      await this.docker.getNetwork(this.name).remove()
    } catch (error) {
      if (statusOf(error) !== 404) throw error
    }
  }
}
