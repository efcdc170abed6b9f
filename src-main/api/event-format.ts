// One event as a server-sent-events message: an `id: N` line and a `data: {json}` line.
import type { DeliveredEvent } from '../../src-shared/contract'

/** one per event stream: it remembers the replica of the last log line it wrote */
export class EventFormatter {
  private lastReplica = { service: '', replica: '', json: '' }

  format(event: DeliveredEvent): string {
    if (event.type === 'log') {
      // one per line of every replica: written out by hand, the generic JSON.stringify of the
      // whole event was the largest cost of following a flooding replica. Same fields as LogLine.
      const { line } = event
      return `id: ${event.id}\ndata: {"type":"log","id":${event.id},"line":{"seq":${line.seq},"time":${line.time},${this.replicaFields(line.service, line.replica)},"stream":"${line.stream}","text":${JSON.stringify(line.text)}}}\n\n`
    }
    return `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`
  }

  /** `"service":…,"replica":…` of the replica that wrote the last line (a flood is one replica) */
  private replicaFields(service: string, replica: string): string {
    if (this.lastReplica.service !== service || this.lastReplica.replica !== replica) {
      this.lastReplica = { service, replica, json: `"service":${JSON.stringify(service)},"replica":${JSON.stringify(replica)}` }
    }
    return this.lastReplica.json
  }
}
