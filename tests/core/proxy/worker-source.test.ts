import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error a plain .mjs script without type declarations
import { GENERATED_FILE, workerSourceModule } from '../../../src-main/core/proxy/generate-worker-source.mjs'

describe('the proxy thread source', () => {
  it('is generated from the current proxy files', async () => {
    const fresh = (await workerSourceModule()) as string
    expect(
      readFileSync(GENERATED_FILE as string, 'utf8') === fresh,
      'worker-source.generated.ts is stale: run node src-main/core/proxy/generate-worker-source.mjs',
    ).toBe(true)
  })
})
