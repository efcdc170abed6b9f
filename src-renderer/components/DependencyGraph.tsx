// The services and how they connect: dependsOn edges (solid) and the discovery links a
// service's own env or arguments show (dashed), each service coloured by its state.
import { useShallow } from 'zustand/react/shallow'
import { serviceSummary, serviceTone } from '../format'
import { layers, serviceLinks } from '../service-links'
import { useDashboard } from '../state/store'

const NODE_W = 168
const NODE_H = 46
const GAP_X = 90
const GAP_Y = 22
const PAD = 16

export function DependencyGraph() {
  const services = useDashboard(useShallow((s) => s.services.order.map((name) => s.services.byName[name]).filter((x) => x !== undefined)))
  const selectService = useDashboard((s) => s.selectService)
  const setView = useDashboard((s) => s.setView)
  const links = serviceLinks(services)
  const columns = layers(services, links)
  const place = new Map<string, { x: number; y: number }>()
  columns.forEach((column, c) => column.forEach((name, r) => place.set(name, { x: PAD + c * (NODE_W + GAP_X), y: PAD + r * (NODE_H + GAP_Y) })))
  const width = PAD * 2 + Math.max(1, columns.length) * (NODE_W + GAP_X) - GAP_X
  const height = PAD * 2 + Math.max(1, ...columns.map((c) => c.length)) * (NODE_H + GAP_Y) - GAP_Y

  return (
    <section className="graph-view" aria-labelledby="graph-title">
      <header className="log-panel-head">
        <h2 id="graph-title">Dependencies</h2>
        <span className="graph-legend">
          <span className="legend-solid" /> depends on <span className="legend-dashed" /> uses its address (env or args)
        </span>
      </header>
      <p className="graph-note">Every replica receives every service&apos;s discovery variables; dashed links are the ones a service&apos;s own settings name.</p>
      <svg className="graph" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Services and their dependencies">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0 10 5 0 10z" className="graph-arrow" />
          </marker>
        </defs>
        {links.map((link) => {
          const from = place.get(link.from)
          const to = place.get(link.to)
          if (!from || !to) return null
          // from the dependent's left edge to the dependency's right edge (right to left), or around when in one column
          const x1 = from.x
          const y1 = from.y + NODE_H / 2
          const x2 = to.x + NODE_W
          const y2 = to.y + NODE_H / 2
          const bend = Math.max(40, Math.abs(x1 - x2) / 2)
          // in one column (a cycle the loader would refuse, or links both ways): a loop on the right
          const d = x1 > x2 ? `M${x1} ${y1} C${x1 - bend} ${y1} ${x2 + bend} ${y2} ${x2} ${y2}` : `M${x1 + NODE_W} ${y1} C${x1 + NODE_W + 50} ${y1} ${x2 + 50} ${y2} ${x2} ${y2}`
          return <path key={`${link.from}>${link.to}`} d={d} className={`graph-edge edge-${link.kind}`} markerEnd="url(#arrow)" data-edge={`${link.from}->${link.to}`} />
        })}
        {services.map((service) => {
          const at = place.get(service.name)
          if (!at) return null
          const tone = serviceTone(service)
          return (
            <g
              key={service.name}
              className={`graph-node tone-${tone}`}
              transform={`translate(${at.x} ${at.y})`}
              data-node={service.name}
              role="button"
              tabIndex={0}
              aria-label={`${service.name}: ${serviceSummary(service)}. Show it`}
              onClick={() => {
                selectService(service.name)
                setView('services')
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' && e.key !== ' ') return
                selectService(service.name)
                setView('services')
              }}
            >
              <rect width={NODE_W} height={NODE_H} rx="7" />
              <circle cx="14" cy={NODE_H / 2} r="4" className="graph-dot" />
              <text x="26" y="19" className="graph-name">
                {service.name}
              </text>
              <text x="26" y="35" className="graph-summary">
                {serviceSummary(service)}
                {service.bindings.some((b) => b.connectionString) ? ' · connection string' : ''}
              </text>
            </g>
          )
        })}
      </svg>
    </section>
  )
}
