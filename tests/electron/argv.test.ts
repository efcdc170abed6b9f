import { describe, expect, it } from 'vitest'
import { appFileFromArgv, appFileFromLaunchData } from '../../src-main/electron/argv'

describe('the app.yaml on the command line', () => {
  it('reads a packaged launch', () => {
    expect(appFileFromArgv(['/opt/Micronetes/micronetes', 'shop/app.yaml'], { defaultApp: false, cwd: '/home/me' })).toBe('/home/me/shop/app.yaml')
    expect(appFileFromArgv(['/opt/Micronetes/micronetes'], { defaultApp: false, cwd: '/home/me' })).toBeUndefined()
  })

  it('skips the app path of a development launch and Chromium switches', () => {
    const argv = ['/x/electron', '.', '--allow-file-access-from-files', '/srv/app.yaml', '--original-process-start-time=1']
    expect(appFileFromArgv(argv, { defaultApp: true, cwd: '/' })).toBe('/srv/app.yaml')
    expect(appFileFromArgv(['/x/electron', '.'], { defaultApp: true, cwd: '/' })).toBeUndefined()
    // Playwright puts its switches before the app path
    expect(appFileFromArgv(['/x/electron', '--inspect=0', '--remote-debugging-port=0', '/repo'], { defaultApp: true, cwd: '/' })).toBeUndefined()
    expect(appFileFromArgv(['/x/electron', '--inspect=0', '/repo', 'app.yaml'], { defaultApp: true, cwd: '/srv' })).toBe('/srv/app.yaml')
  })

  it('resolves from the second launch folder', () => {
    expect(appFileFromArgv(['/opt/m', 'app.yaml'], { defaultApp: false, cwd: '/work/other' })).toBe('/work/other/app.yaml')
  })
})

describe('the file a second launch hands over', () => {
  it('takes an absolute path from the lock data and nothing else', () => {
    expect(appFileFromLaunchData({ file: '/srv/app.yaml' })).toBe('/srv/app.yaml')
    for (const data of [null, undefined, 'app.yaml', { file: 'relative.yaml' }, { file: 42 }, { file: null }]) {
      expect(appFileFromLaunchData(data)).toBeUndefined()
    }
  })
})
