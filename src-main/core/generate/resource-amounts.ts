// deploy.resources in Compose's units. Kubernetes' spellings are the ones app.yaml takes
// ("500m" CPU, "256Mi"); Compose wants CPUs as a number and memory in Docker's units, where
// k, m, g are powers of 1024.
import type { ResourceAmounts } from '../../../src-shared/app-model'

const MEMORY_UNITS: Record<string, number> = {
  '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
}

export function cpus(amount: string): string {
  return amount.endsWith('m') ? String(Number.parseInt(amount, 10) / 1000) : String(Number(amount))
}

/** bytes written in the largest of Docker's units that keeps them whole */
export function dockerMemory(amount: string): string {
  const [, number, unit] = /^(\d+(?:\.\d+)?)(.*)$/.exec(amount)!
  const bytes = Math.round(Number(number) * MEMORY_UNITS[unit!]!)
  for (const [suffix, size] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
    if (bytes % size === 0) return `${bytes / size}${suffix}`
  }
  return `${bytes}b`
}

export function composeAmounts(amounts: ResourceAmounts): { cpus?: string; memory?: string } {
  return {
    ...(amounts.cpu !== undefined ? { cpus: cpus(amounts.cpu) } : {}),
    ...(amounts.memory !== undefined ? { memory: dockerMemory(amounts.memory) } : {}),
  }
}
