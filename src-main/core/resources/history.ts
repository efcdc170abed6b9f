// A replica's recent figures in fixed-size columns: the oldest reading is overwritten once
// the ring is full, and readings older than the window are left out when read, so memory
// stays the same however long the application runs.
import type { ReplicaHistory } from '../../../src-shared/resources'

export class HistoryRing {
  private readonly time: Float64Array
  private readonly cpu: Float32Array
  private readonly memory: Float64Array
  private readonly traffic: Float32Array
  /** where the next reading goes */
  private next = 0
  private size = 0

  constructor(readonly capacity: number) {
    this.time = new Float64Array(capacity)
    this.cpu = new Float32Array(capacity)
    this.memory = new Float64Array(capacity)
    this.traffic = new Float32Array(capacity)
  }

  push(time: number, cpuPercent: number, memoryBytes: number, bytesPerSecond: number): void {
    const i = this.next
    this.time[i] = time
    this.cpu[i] = cpuPercent
    this.memory[i] = memoryBytes
    this.traffic[i] = bytesPerSecond
    this.next = (i + 1) % this.capacity
    if (this.size < this.capacity) this.size++
  }

  get length(): number {
    return this.size
  }

  /** the readings taken at or after `since`, oldest first */
  read(service: string, replica: string, since: number): ReplicaHistory {
    const out: ReplicaHistory = { service, replica, time: [], cpuPercent: [], memoryBytes: [], bytesPerSecond: [] }
    const start = (this.next - this.size + this.capacity) % this.capacity
    for (let n = 0; n < this.size; n++) {
      const i = (start + n) % this.capacity
      const time = this.time[i]!
      if (time < since) continue
      out.time.push(time)
      // Float32 keeps about 7 digits: round so JSON says 12.5, not 12.5000001
      out.cpuPercent.push(Math.round(this.cpu[i]! * 100) / 100)
      out.memoryBytes.push(this.memory[i]!)
      out.bytesPerSecond.push(Math.round(this.traffic[i]!))
    }
    return out
  }
}
