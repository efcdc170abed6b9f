// A small line of recent values: the shape over the last minutes, not the numbers.
export function Sparkline({ values, label, max }: { values: number[]; label: string; max?: number }) {
  const width = 48
  const height = 12
  if (values.length < 2) return <svg className="sparkline" width={width} height={height} role="img" aria-label={`${label}: no history yet`} />
  const top = Math.max(max ?? 0, ...values) || 1
  const step = width / (values.length - 1)
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / top) * (height - 2)).toFixed(1)}`).join(' ')
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
    </svg>
  )
}
