// Measurements taken inside the page. Written as source text, because the bench is
// typechecked for Node, not the DOM.

/** installs window.__clickLatencies: ms from each pointerdown on a tab to the next frame after it is selected */
export const clickLatencyProbe = `
  window.__clickLatencies = []
  let downAt = 0
  document.addEventListener('pointerdown', (e) => { downAt = e.timeStamp }, true)
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.attributeName === 'aria-selected' && r.target.getAttribute('aria-selected') === 'true' && downAt > 0) {
        const start = downAt
        downAt = 0
        requestAnimationFrame(() => window.__clickLatencies.push(performance.now() - start))
      }
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['aria-selected'] })
`

/** installs window.__longTasks (durations of main-thread tasks over 50 ms) and window.__frames (frame intervals) */
export const mainThreadProbe = `
  window.__longTasks = []
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration) }).observe({ type: 'longtask', buffered: true })
  window.__frames = []
  let last = performance.now()
  const frame = (now) => { window.__frames.push(now - last); last = now; requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
`

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}
