// `micronetes generate k8s|compose [file]`: what a cluster or a Compose host runs, from the
// same app.yaml. Everything is generated before anything is written, so a refusal (a service
// with no image) leaves no half-written output. Notes on what did not carry over go to stderr
// (and into the YAML as comments), so stdout can be piped to kubectl or docker compose.
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, resolve } from 'node:path'
import { formatProblem } from '../../src-shared/problems'
import { findAppFile } from '../core/config/find-app-file'
import { plainText } from '../../src-shared/terminal-text'
import type { Application } from '../../src-shared/app-model'
import type { ParsedCommand } from './command-line'
import { GENERATED_MARK, writeManifestFolder } from './manifest-folder'

interface KubernetesCommandOptions {
  output?: string
  registry?: string
  namespace?: string
  waitImage?: string
}

interface ComposeCommandOptions {
  output?: string
  registry?: string
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

export function kubernetesCommand(parsed: ParsedCommand): Promise<number> {
  return kubernetes(parsed.argument('file')!, { output: parsed.value('output'), namespace: parsed.value('namespace'), waitImage: parsed.value('wait-image'), registry: parsed.value('registry') })
}

export function composeCommand(parsed: ParsedCommand): Promise<number> {
  return compose(parsed.argument('file')!, { output: parsed.value('output'), registry: parsed.value('registry') })
}

async function load(command: string, named: string): Promise<Application | undefined> {
  // a folder holds app.yaml, or Project Tye's tye.yaml / tye.yml, as for run and validate
  const found = findAppFile(named)
  if (!found.ok) {
    process.stderr.write(`micronetes generate ${command}: ${found.message}\n`)
    return undefined
  }
  const file = found.file
  const { loadApplication } = await import('../core/config/load-application')
  const result = await loadApplication(file)
  if (result.ok) return result.application
  process.stderr.write(result.problems.map((p) => formatProblem(p) + '\n').join(''))
  process.stderr.write(`micronetes generate ${command}: ${file} has problems; nothing was written\n`)
  return undefined
}

function refuse(command: string, problems: string[]): number {
  process.stderr.write(`micronetes generate ${command}: nothing was written:\n${problems.map((p) => `  ${plainText(p)}\n`).join('')}`)
  return 1
}

function printNotes(notes: { service?: string; message: string }[]): void {
  // a note quotes app.yaml (a log pattern, a host), which may hold terminal escapes
  for (const note of notes) process.stderr.write(plainText(`note: ${note.service === undefined ? '' : `service "${note.service}": `}${note.message}`) + '\n')
}

async function kubernetes(file: string, options: KubernetesCommandOptions): Promise<number> {
  if (options.namespace !== undefined && !DNS_LABEL.test(options.namespace)) {
    process.stderr.write(`micronetes generate k8s: --namespace ${options.namespace}: a namespace must be a DNS label (lowercase letters, digits and "-", at most 63)\n`)
    return 1
  }
  const application = await load('k8s', file)
  if (application === undefined) return 1
  const [{ generateKubernetes }, { yamlDocument, yamlStream }] = await Promise.all([import('../core/generate/k8s'), import('../core/generate/manifest-yaml')])
  const result = generateKubernetes(application, { ...(options.namespace !== undefined ? { namespace: options.namespace } : {}), ...(options.waitImage !== undefined ? { waitImage: options.waitImage } : {}), ...(options.registry !== undefined ? { registry: options.registry } : {}) })
  if (!result.ok) return refuse('k8s', result.problems)
  const output = options.output ?? '-'
  const folder = output !== '-' && !['.yaml', '.yml'].includes(extname(output))
  // the mark heads the stream, or every file of a folder (it tells which files are ours)
  const mark = `${GENERATED_MARK.slice(2)} from ${basename(application.source)}`
  const manifests = result.value.map((m, i) => ({ ...m, comments: i === 0 || folder ? [mark, ...m.comments] : m.comments }))
  if (output === '-') {
    process.stdout.write(yamlStream(manifests))
  } else if (!folder) {
    await mkdir(dirname(resolve(output)), { recursive: true })
    await writeFile(output, yamlStream(manifests))
  } else {
    // numbered, so `kubectl apply -f folder` takes ConfigMaps before what reads them
    const width = String(manifests.length).length
    const files = manifests.map((m, i) => ({
      name: `${String(i + 1).padStart(width, '0')}-${m.object.metadata!.name}-${m.object.kind.toLowerCase()}.yaml`,
      text: yamlDocument(m),
    }))
    const removed = await writeManifestFolder(output, files)
    if (removed > 0) process.stderr.write(`removed ${removed} file${removed === 1 ? '' : 's'} of an earlier run from ${output}\n`)
  }
  printNotes(result.notes)
  if (output !== '-') process.stderr.write(`wrote ${manifests.length} object${manifests.length === 1 ? '' : 's'} to ${output}\n`)
  return 0
}

async function compose(file: string, options: ComposeCommandOptions): Promise<number> {
  const application = await load('compose', file)
  if (application === undefined) return 1
  const [{ generateCompose }, { composeYaml }] = await Promise.all([import('../core/generate/compose'), import('../core/generate/compose-yaml')])
  const output = options.output ?? '-'
  const result = generateCompose(application, { ...(output === '-' ? {} : { directory: dirname(resolve(output)) }), ...(options.registry !== undefined ? { registry: options.registry } : {}) })
  if (!result.ok) return refuse('compose', result.problems)
  const text = composeYaml(result.value, [`${GENERATED_MARK.slice(2)} from ${basename(application.source)}`])
  if (output === '-') {
    process.stdout.write(text)
  } else {
    await mkdir(dirname(resolve(output)), { recursive: true })
    await writeFile(output, text)
  }
  printNotes(result.notes)
  if (output !== '-') process.stderr.write(`wrote ${output}: ${Object.keys(result.value.file.services).length} services\n`)
  return 0
}
