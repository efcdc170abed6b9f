import { describe, expect, it } from 'vitest'

import { configuration } from '../src/index.js'

describe('configuration', () => {
  const env = {
    SERVICE__WEB__PORT: '5000',
    SERVICE__WEB__MANAGEMENT__PORT: '5001',
    CONNECTIONSTRINGS__REDIS: 'localhost:6379',
    PATH: '/usr/bin',
  }

  it('reads double underscores as sections and ignores case, like .NET', () => {
    const config = configuration(env)
    expect(config.get('service:web:port')).toBe('5000')
    expect(config.get('SERVICE:Web:PORT')).toBe('5000')
    expect(config.get('service__web__port')).toBe('5000')
    expect(config.get('connectionstrings:redis')).toBe('localhost:6379')
    expect(config.get('path')).toBe('/usr/bin')
    expect(config.get('service:api:port')).toBeUndefined()
    expect(config.has('service:web:management:port')).toBe(true)
  })

  it('lists the names under a section', () => {
    const config = configuration(env)
    expect(config.children('service')).toEqual(['web'])
    expect(config.children('service:web').sort()).toEqual(['management', 'port'])
  })

  it('reads this process environment by default', () => {
    process.env.SERVICE__SDKTEST__PORT = '4242'
    try {
      expect(configuration().get('service:sdktest:port')).toBe('4242')
    } finally {
      delete process.env.SERVICE__SDKTEST__PORT
    }
  })
})
