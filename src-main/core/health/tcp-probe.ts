// A TCP connection to a replica's port: healthy when it is accepted (on either loopback).
import { acceptingAddress } from '../readiness'
import type { CheckResult } from './check-result'

export async function tcpCheck(port: number, holdMs: number): Promise<CheckResult> {
  const host = await acceptingAddress(port, holdMs)
  return host ? { ok: true, message: `port ${port} accepts connections` } : { ok: false, message: `nothing accepts connections on port ${port}` }
}
