// The one reading of a duration in app.yaml: seconds as a number, or a string with its unit
// ("2s", "500ms", "1m"); the schema has already checked the form.

/** milliseconds, or undefined where the field is not given */
export function durationMs(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') return Math.round(value * 1000)
  const amount = Number.parseFloat(value)
  if (value.endsWith('ms')) return Math.round(amount)
  if (value.endsWith('m')) return Math.round(amount * 60_000)
  return Math.round(amount * 1000)
}
