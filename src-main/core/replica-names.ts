// Replica names: `{service}_{8 hex}-{n}`. The hex part is fresh for every run of the
// application, so logs and containers of two runs are never mistaken for each other.
import { randomBytes } from 'node:crypto'

export function newReplicaSuffix(): string {
  return randomBytes(4).toString('hex')
}

export function replicaName(service: string, suffix: string, ordinal: number): string {
  return `${service}_${suffix}-${ordinal}`
}

/** the smallest ordinals (1-based) not in use */
export function freeOrdinals(used: Iterable<number>, count: number): number[] {
  const taken = new Set(used)
  const out: number[] = []
  for (let n = 1; out.length < count; n++) {
    if (!taken.has(n)) out.push(n)
  }
  return out
}
