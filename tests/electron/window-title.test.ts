import { describe, expect, it } from 'vitest'
import { windowProgress } from '../../src-main/electron/window-title'

const shop = { id: 'a', name: 'shop', source: '/srv/shop/app.yaml' }

describe('the window title', () => {
  it('names the application, and says when it starts or stops', () => {
    expect(windowProgress({ state: 'empty' })).toEqual({ title: 'Micronetes', progress: -1 })
    expect(windowProgress({ state: 'running', application: shop })).toEqual({ title: 'Micronetes — shop', progress: -1 })
    expect(windowProgress({ state: 'stopping', application: shop })).toEqual({ title: 'Micronetes — shop — stopping shop…', progress: 2 })
    expect(windowProgress({ state: 'starting', application: shop }).progress).toBe(2)
    expect(windowProgress({ state: 'running', application: shop }, 'Stopping the application before quitting…')).toEqual({
      title: 'Micronetes — shop — Stopping the application before quitting…',
      progress: 2,
    })
  })
})
