// Input written to hurt: alias bombs, prototype keys, huge or endless files, deep nesting.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadApplication, parseApplication } from '../../../src-main/core/config/load-application'
import { formatProblem } from '../../../src-shared/problems'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'micronetes-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function problems(text: string): string[] {
  const result = parseApplication(text, 'app.yaml')
  return result.ok ? [] : result.problems.map(formatProblem)
}

/** nine aliases per level, eight levels: 9^8 (43 million) strings once expanded */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  const names = 'abcdefgh'
  for (let i = 1; i < names.length; i++) {
    const prev = `*${names[i - 1]}`
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(prev).join(',')}]`)
  }
  return lines.join('\n') + '\n'
}

describe('hostile app.yaml', () => {
  it('refuses an alias bomb without expanding it', () => {
    const before = process.memoryUsage().heapUsed
    expect(problems(aliasBomb())).toEqual([
      'app.yaml:2:8: too many aliases: expanding them would need more than 100 copies (refused as a possible alias bomb)',
    ])
    // expanded, it would take gigabytes; refused, it takes next to nothing
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024)
  })

  it('lets __proto__ keys pollute nothing and reports them', () => {
    const yaml = [
      '__proto__: {polluted: true}',
      'services:',
      '  - name: web',
      '    executable: node',
      '    __proto__: {polluted: true}',
      '    env:',
      '      __proto__: {polluted: true}',
      '      constructor: x',
      '    bindings:',
      '      - port: 80',
      '        __proto__: {polluted: true}',
    ].join('\n')
    expect(problems(yaml)).toEqual([
      'app.yaml:1:1: unknown field "__proto__"; known fields: name, services',
      'app.yaml:5:5: service "web": unknown field "__proto__"; known fields: name, project, executable, dockerImage, image, args, workingDirectory, replicas, external, env, environment, configuration, bindings, restart, stopGracePeriod, volumes, envFile, build, watch, readiness, liveness, dependsOn, autoStart',
      'app.yaml:7:7: service "web": "__proto__" is not a valid environment variable name (letters, digits and "_", not starting with a digit)',
      'app.yaml:11:9: service "web": unknown field "__proto__"; known fields: name, port, containerPort, host, protocol, connectionString',
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it('takes an environment variable named constructor, but not __proto__', () => {
    const result = parseApplication('- name: web\n  executable: node\n  env:\n    constructor: x\n', 'app.yaml')
    expect(result.ok && result.application.services[0]!.env).toEqual([{ name: 'constructor', value: 'x' }])
    expect(problems('- name: web\n  executable: node\n  env:\n    __proto__: x\n')).toEqual([
      'app.yaml:4:5: service "web": "__proto__" is not a valid environment variable name (letters, digits and "_", not starting with a digit)',
    ])
  })

  it('refuses a file over 1 MiB with a size message, before parsing it', async () => {
    const file = join(dir, 'huge.yaml')
    await writeFile(file, '- name: web\n  executable: node\n' + '#'.repeat(2 * 1024 * 1024) + '\n')
    const result = await loadApplication(file)
    expect(result).toEqual({
      ok: false,
      problems: [{ file, line: 1, col: 1, severity: 'error', message: 'the file is larger than 1 MiB; an app.yaml is refused above that size' }],
      warnings: [],
    })
    expect(problems('#'.repeat(1024 * 1024 + 1))).toEqual(['app.yaml:1:1: the file is larger than 1 MiB; an app.yaml is refused above that size'])
  })

  it('reads an endless file only up to the limit', async () => {
    const result = await loadApplication('/dev/zero')
    expect(result.ok || result.problems.map(formatProblem)).toEqual([
      '/dev/zero:1:1: the file is larger than 1 MiB; an app.yaml is refused above that size',
    ])
  })

  it('reports a missing file and a folder as such', async () => {
    const missing = join(dir, 'nope.yaml')
    const folder = join(dir, 'folder.yaml')
    await mkdir(folder)
    const [a, b] = await Promise.all([loadApplication(missing), loadApplication(folder)])
    expect(a.ok || a.problems.map(formatProblem)).toEqual([`${missing}:1:1: no such file`])
    expect(b.ok || b.problems.map(formatProblem)).toEqual([`${folder}:1:1: is a folder, not a file`])
  })

  it('refuses deep nesting before composing it, even inside other flow collections', () => {
    const depth = 100_000
    expect(problems('['.repeat(depth) + ']'.repeat(depth))).toEqual(['app.yaml:1:65: the YAML nests more than 64 levels of [ ] or { }; refused'])
    // brackets inside quotes are text, not nesting
    expect(problems('- name: web\n  args: [' + '"]]", ['.repeat(70) + ']'.repeat(71) + '\n')).toEqual([
      'app.yaml:2:457: the YAML nests more than 64 levels of [ ] or { }; refused',
    ])
    // many collections side by side are not deep
    expect(problems('- name: web\n  executable: node\n  env: [' + Array.from({ length: 100 }, (_, i) => `{name: V${i}, value: "[{"}`).join(', ') + ']\n')).toEqual([])
    expect(problems('- '.repeat(depth) + 'x')).toEqual(['app.yaml:1:1: the YAML is indented more than 200 columns deep; refused'])
    const stairs = Array.from({ length: 300 }, (_, i) => ' '.repeat(i) + 'a:').join('\n')
    expect(problems(stairs)).toEqual(['app.yaml:202:1: the YAML is indented more than 200 columns deep; refused'])
  })
})
