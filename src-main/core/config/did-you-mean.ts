// "did you mean `replicas`?" for a field name that is not one we know.

/** words people bring from docker-compose, Kubernetes or habit, and the field they meant */
const SYNONYMS: Record<string, string> = {
  ports: 'bindings',
  port: 'bindings',
  cwd: 'workingDirectory',
  workdir: 'workingDirectory',
  command: 'executable',
  cmd: 'executable',
  arguments: 'args',
  scale: 'replicas',
  instances: 'replicas',
  restartpolicy: 'restart',
  graceperiod: 'stopGracePeriod',
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '')
}

/** the known name closest to an unknown one, or undefined when none is close enough */
export function closestName(unknown: string, known: readonly string[]): string | undefined {
  const target = squash(unknown)
  const exact = known.find((k) => squash(k) === target)
  if (exact) return exact
  const synonym = SYNONYMS[unknown] ?? SYNONYMS[target]
  if (synonym && known.includes(synonym)) return synonym
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = editDistance(target, squash(candidate))
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  // a third of the word may be wrong, at least one letter, at most three
  const allowed = Math.min(3, Math.max(1, Math.floor(target.length / 3)))
  return bestDistance <= allowed ? best : undefined
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters costs one */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const row = d[i]!
      const above = d[i - 1]!
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}
