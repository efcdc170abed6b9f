// An action a person took: which one is in flight (for immediate feedback) and what went
// wrong (shown where it was taken).
import { useCallback, useState } from 'react'

export interface ActionState {
  pending: string | undefined
  error: string | undefined
  run(key: string, failure: string, action: () => Promise<unknown>): Promise<void>
  dismiss(): void
}

export function useAction(): ActionState {
  const [pending, setPending] = useState<string>()
  const [error, setError] = useState<string>()
  const run = useCallback(async (key: string, failure: string, action: () => Promise<unknown>) => {
    setPending(key)
    setError(undefined)
    try {
      await action()
    } catch (err) {
      setError(`${failure}: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      setPending(undefined)
    }
  }, [])
  const dismiss = useCallback(() => setError(undefined), [])
  return { pending, error, run, dismiss }
}
