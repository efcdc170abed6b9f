import { describe, expect, it } from 'vitest'
import { splitArgs } from '../../../src-main/core/config/split-args'
import { closestName } from '../../../src-main/core/config/did-you-mean'

describe('splitArgs', () => {
  it.each([
    ['--port 80  -v', ['--port', '80', '-v']],
    ['a"b"\'c\'', ['abc']],
    ['"" \'\'', ['', '']],
    ['"a \\"quoted\\" \\\\ word" \'no \\escape\'', ['a "quoted" \\ word', 'no \\escape']],
    ['one\\ word two\tthree\nfour', ['one word', 'two', 'three', 'four']],
    ['$HOME ${X} *.js | > ; &&', ['$HOME', '${X}', '*.js', '|', '>', ';', '&&']],
    ['   ', []],
  ])('splits %j', (line, args) => {
    expect(splitArgs(line)).toEqual({ ok: true, args })
  })

  it('refuses a quote that is never closed', () => {
    expect(splitArgs('echo "hi')).toEqual({ ok: false, message: 'the double quote (") is never closed' })
    expect(splitArgs("echo 'hi")).toEqual({ ok: false, message: "the single quote (') is never closed" })
  })
})

describe('closestName', () => {
  const service = ['name', 'project', 'executable', 'dockerImage', 'replicas', 'workingDirectory', 'bindings']
  it.each([
    ['replica', 'replicas'],
    ['replcias', 'replicas'],
    ['docker_image', 'dockerImage'],
    ['Executable', 'executable'],
    ['working-directory', 'workingDirectory'],
    ['cwd', 'workingDirectory'],
    ['ports', 'bindings'],
    ['colour', undefined],
    ['x', undefined],
  ])('%s -> %s', (unknown, known) => {
    expect(closestName(unknown, service)).toBe(known)
  })
})
