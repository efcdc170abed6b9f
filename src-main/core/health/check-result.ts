// What one check of a probe gives back, before the runner counts it.
export interface CheckResult {
  ok: boolean
  /** what was checked and what came back, in a person's words: "GET /health answered 500" */
  message: string
}

export function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`
}
