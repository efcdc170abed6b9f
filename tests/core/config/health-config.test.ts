// readiness, liveness, dependsOn, restart's long form and autoStart: what the loader makes of
// them, Tye's spelling, and every mistake with the line:col a person edits.
import { describe, expect, it } from 'vitest'
import { parseApplication } from '../../../src-main/core/config/load-application'
import { findCycles } from '../../../src-main/core/config/check-dependencies'
import type { Service } from '../../../src-shared/app-model'
import { formatProblem } from '../../../src-shared/problems'

function services(text: string): Service[] {
  const result = parseApplication(text, '/apps/demo/app.yaml')
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.application.services
}

function problems(text: string): string[] {
  const result = parseApplication(text, 'app.yaml')
  return result.ok ? [] : result.problems.map(formatProblem)
}

describe('probes', () => {
  it('fills every default and resolves the probed port against the bindings', () => {
    const [api] = services(
      [
        '- name: api',
        '  executable: node',
        '  bindings: [{ port: 7001 }, { name: admin, port: 7002 }]',
        '  readiness:',
        '    http: { path: /ready, binding: admin, headers: { X-Probe: yes } }',
        '  liveness:',
        '    tcp: { port: 7002 }',
        '    initialDelay: 2s',
        '    period: 500ms',
        '    timeout: 0.25',
        '    failureThreshold: 5',
        '',
      ].join('\n'),
    )
    expect(api!.readiness).toEqual({
      check: { kind: 'http', path: '/ready', binding: 'admin', scheme: 'http', headers: [{ name: 'X-Probe', value: 'yes' }] },
      initialDelayMs: 0,
      periodMs: 1000,
      timeoutMs: 1000,
      successThreshold: 1,
      failureThreshold: 3,
    })
    // a port that is a binding's port means that binding (its replica's own port is probed)
    expect(api!.liveness).toEqual({ check: { kind: 'tcp', binding: 'admin' }, initialDelayMs: 2000, periodMs: 500, timeoutMs: 250, successThreshold: 1, failureThreshold: 5 })
  })

  it("accepts Project Tye's spelling: protocol, headers as { name, value }, seconds as numbers", () => {
    const [web] = services(
      [
        '- name: web',
        '  executable: node',
        '  bindings: [{ port: 8080, protocol: http }]',
        '  liveness:',
        '    http:',
        '      path: /healthy',
        '      port: 8080',
        '      protocol: https',
        '      headers:',
        '        - name: Authorization',
        '          value: Bearer x',
        '    initialDelay: 1',
        '    period: 2',
        '    timeout: 3',
        '    successThreshold: 1',
        '    failureThreshold: 4',
        '  readiness:',
        '    http:',
        '      path: /ready',
        '',
      ].join('\n'),
    )
    expect(web!.liveness).toEqual({
      check: { kind: 'http', path: '/healthy', scheme: 'https', headers: [{ name: 'Authorization', value: 'Bearer x' }] },
      initialDelayMs: 1000,
      periodMs: 2000,
      timeoutMs: 3000,
      successThreshold: 1,
      failureThreshold: 4,
    })
    expect(web!.readiness?.check).toEqual({ kind: 'http', path: '/ready', scheme: 'http', headers: [] })
  })

  it('reads exec (split like args, or a list) and log probes; a port of its own when no binding has it', () => {
    const [job, db] = services(
      [
        '- name: job',
        '  executable: node',
        '  readiness: { exec: { command: "test -f \'ready file\'" } }',
        '  liveness: { exec: { command: [sh, -c, "exit 0"] } }',
        '- name: db',
        '  executable: node',
        '  readiness: { log: "listening on \\\\d+" }',
        '  liveness: { tcp: { port: 6000 } }',
        '',
      ].join('\n'),
    )
    expect(job!.readiness?.check).toEqual({ kind: 'exec', command: ['test', '-f', 'ready file'] })
    expect(job!.liveness?.check).toEqual({ kind: 'exec', command: ['sh', '-c', 'exit 0'] })
    expect(db!.readiness?.check).toEqual({ kind: 'log', pattern: 'listening on \\d+' })
    expect(db!.liveness?.check).toEqual({ kind: 'tcp', port: 6000 })
  })

  it('refuses a probe without a check, with two, a log liveness, a bad regex, an unknown binding, a too short period', () => {
    expect(
      problems(
        [
          '- name: a',
          '  executable: node',
          '  bindings: [{ name: web, port: 7001 }]',
          '  readiness: { period: 1 }',
          '  liveness: { log: up }',
          '- name: b',
          '  executable: node',
          '  readiness: { tcp: {}, exec: { command: x } }',
          '  liveness: { http: { binding: nope } }',
          '- name: c',
          '  executable: node',
          '  readiness: { log: "([a-z" }',
          '  liveness: { tcp: {}, period: 50ms }',
          '- name: d',
          '  external: true',
          '  bindings: [{ port: 7005 }]',
          '  readiness: { tcp: {} }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'app.yaml:4:14: service "a": "readiness" needs one check: http, tcp, exec or log',
      'app.yaml:5:15: service "a": "log" is for readiness only: a line once seen cannot tell that a replica is still alive',
      'app.yaml:8:25: service "b": "readiness" has both "tcp" and "exec"; give exactly one',
      'app.yaml:9:32: service "b": there is no binding named "nope"',
      'app.yaml:12:21: service "c": "log" is not a valid regular expression: Invalid regular expression: /([a-z/: Unterminated character class',
      'app.yaml:13:20: service "c": the service has no bindings: give the "port" to check',
      'app.yaml:13:32: service "c": "period" must be at least 100ms',
      'app.yaml:17:3: service "d": an external service is not run, so it takes no "readiness"',
    ])
  })

  it('says what a probe field must be, with "did you mean"', () => {
    expect(problems('- name: a\n  executable: node\n  liveness:\n    http: { path: health, port: 1 }\n    perod: 2\n')).toEqual([
      'app.yaml:4:19: service "a": "path" must be a path starting with "/", not "health"',
      'app.yaml:5:5: service "a": unknown field "perod" (did you mean "period"?)',
    ])
  })
})

describe('dependsOn, restart and autoStart', () => {
  it('reads the list and the map form, restart { policy, maxRestarts } and autoStart', () => {
    const all = services(
      [
        '- name: db',
        '  executable: node',
        '- name: migrate',
        '  executable: node',
        '  restart: { policy: never }',
        '- name: api',
        '  executable: node',
        '  dependsOn: [db]',
        '  restart: { maxRestarts: 3 }',
        '- name: web',
        '  executable: node',
        '  autoStart: false',
        '  dependsOn:',
        '    api: { condition: started }',
        '    migrate: { condition: completed }',
        '    db:',
        '',
      ].join('\n'),
    )
    const [db, migrate, api, web] = all
    expect(db).toMatchObject({ dependsOn: [], restart: 'on-failure', autoStart: true })
    expect(db!.maxRestarts).toBeUndefined()
    expect(migrate).toMatchObject({ restart: 'never' })
    expect(api).toMatchObject({ dependsOn: [{ service: 'db', condition: 'ready' }], restart: 'on-failure', maxRestarts: 3 })
    expect(web).toMatchObject({
      autoStart: false,
      dependsOn: [
        { service: 'api', condition: 'started' },
        { service: 'migrate', condition: 'completed' },
        { service: 'db', condition: 'ready' },
      ],
    })
  })

  it('refuses unknown names (with a guess), itself, a twice-listed name and a completed that cannot happen', () => {
    expect(
      problems(
        [
          '- name: db',
          '  executable: node',
          '  restart: always',
          '- name: api',
          '  executable: node',
          '  dependsOn: [dbb, api, cache, api]',
          '- name: web',
          '  executable: node',
          '  dependsOn:',
          '    db: { condition: completed }',
          '    api: { condition: finished }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'app.yaml:6:15: service "api": dependsOn names "dbb", which is not a service of this file (did you mean "db"?)',
      'app.yaml:6:20: service "api": a service cannot depend on itself',
      'app.yaml:6:25: service "api": dependsOn names "cache", which is not a service of this file',
      'app.yaml:6:32: service "api": "api" is listed twice in "dependsOn"',
      'app.yaml:10:5: service "web": waits for "db" to complete, but it has "restart: always", so it is started again whenever it exits',
      'app.yaml:11:23: service "web": "condition" must be one of started, ready, completed, not "finished"',
    ])
    expect(
      problems('- name: db\n  executable: node\n  restart: always\n- name: web\n  executable: node\n  dependsOn:\n    db: { condition: completed }\n'),
    ).toEqual(['app.yaml:7:5: service "web": waits for "db" to complete, but it has "restart: always", so it is started again whenever it exits'])
  })

  it('refuses a cycle, naming every service along it, at the entry that starts it', () => {
    expect(
      problems(
        [
          'services:',
          '  - name: web',
          '    executable: node',
          '    dependsOn: [api]',
          '  - name: api',
          '    executable: node',
          '    dependsOn:',
          '      db: { condition: ready }',
          '  - name: db',
          '    executable: node',
          '    dependsOn: [web]',
          '  - name: other',
          '    executable: node',
          '    dependsOn: [web]',
          '',
        ].join('\n'),
      ),
    ).toEqual(['app.yaml:4:17: service "web": dependsOn makes a cycle, so none of them could start: web -> api -> db -> web'])
  })

  it('finds each cycle once, from the service first in the file', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['d']],
      ['d', ['c']],
    ])
    expect(findCycles(['c', 'a', 'b', 'd'], edges)).toEqual([
      ['c', 'd', 'c'],
      ['a', 'b', 'a'],
    ])
  })
})
