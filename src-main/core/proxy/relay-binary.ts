// Where the native relay (native/relay, built by scripts/build-relay.mjs) is: found as every
// native helper is (helper-entry.ts), unless MICRONETES_RELAY_PATH names one. Linux only:
// elsewhere the proxy runs on Node threads (proxy-host.ts).
import { isExecutable, nativeHelper } from '../helper-entry'

export const RELAY_FILE = 'micronetes-relay'

/** the relay's place, looked for once per owner (RelayHost): every proxy start asks */
export class RelayBinary {
  /** null: looked for, not there */
  private found: string | null | undefined

  /** the relay's path, or undefined where there is none (not Linux, not built) */
  path(): string | undefined {
    // read each time, not kept: a test points it elsewhere for one runtime
    const override = process.env.MICRONETES_RELAY_PATH
    if (override) return isExecutable(override) ? override : undefined
    if (process.platform !== 'linux') return undefined
    this.found ??= nativeHelper(RELAY_FILE) ?? null
    return this.found ?? undefined
  }
}
