import { describe, expect, it } from 'vitest'
import { appFileFromArgv } from '../../src-main/electron/argv'

describe('the app.yaml on the command line', () => {
  it('reads a packaged launch', () => {
    expect(appFileFromArgv(['/opt/Micronetes/micronetes', 'shop/app.yaml'], { defaultApp: false, cwd: '/home/me' })).toBe('/home/me/shop/app.yaml')
    expect(appFileFromArgv(['/opt/Micronetes/micronetes'], { defaultApp: false, cwd: '/home/me' })).toBeUndefined()
  })

  it('skips the app path of a development launch and Chromium switches', () => {
    const argv = ['/x/electron', '.', '--allow-file-access-from-files', '/srv/app.yaml', '--original-process-start-time=1']
    expect(appFileFromArgv(argv, { defaultApp: true, cwd: '/' })).toBe('/srv/app.yaml')
    expect(appFileFromArgv(['/x/electron', '.'], { defaultApp: true, cwd: '/' })).toBeUndefined()
  })

  it('resolves from the second launch folder', () => {
    expect(appFileFromArgv(['/opt/m', 'app.yaml'], { defaultApp: false, cwd: '/work/other' })).toBe('/work/other/app.yaml')
  })
})
