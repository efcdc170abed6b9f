// The `micronetes` commands as the help lists them. Each command's module is imported only when
// that command runs (the CLI bundle makes each a chunk of its own): validate does not pay for the
// orchestrator, the API server and dockerode that run brings, and --help imports none of them.
import type { ArgumentSpec, CommandSpec, OptionSpec } from './command-line'

const appFile = (description: string): ArgumentSpec => ({ name: 'file', description, default: '.' })

const validate: CommandSpec = {
  name: 'validate',
  description: 'check an app.yaml and report every problem with file:line:col; starts nothing',
  arguments: [appFile('the app.yaml to check, or a folder holding app.yaml (or tye.yaml / tye.yml)')],
  options: [{ long: 'json', description: 'print one JSON object { ok, problems, warnings, summary } on stdout' }],
  load: async () => (await import('./validate-command')).validateCommand,
}

const run: CommandSpec = {
  name: 'run',
  description: 'run an application: its replicas, proxies, the HTTP API and the web dashboard',
  arguments: [
    { name: 'app.yaml', description: 'the application file, or a folder holding app.yaml (or tye.yaml / tye.yml)', default: '.' },
    { name: 'services', variadic: true, description: 'run only these services and, transitively, what they depend on; the others can be started later' },
  ],
  options: [
    { long: 'port', value: 'port', description: 'port of the HTTP API and dashboard (default 8000, or a free one when taken)' },
    { long: 'no-dashboard', description: 'serve the HTTP API only, without the web dashboard' },
    { long: 'token', value: 'token', description: 'require this token on every API request (default: MICRONETES_TOKEN)' },
    { long: 'no-reload', description: 'do not apply changes to app.yaml and its env files as they are saved' },
    { long: 'log-dir', value: 'dir', description: "write each replica's output to <dir>/<replica>.log as well" },
    { long: 'log-file-size', value: 'size', description: 'rotate a log file at this size, keeping 3 older ones (default 10MB)' },
  ],
  load: async () => (await import('./run-command')).runCommand,
}

const registry = (description: string): OptionSpec => ({ long: 'registry', value: 'host/path', description })

const generate: CommandSpec = {
  name: 'generate',
  description: 'generate Kubernetes manifests or a Compose file from an app.yaml',
  commands: [
    {
      name: 'k8s',
      aliases: ['kubernetes'],
      description: 'Kubernetes manifests: per service a Deployment and a Service, env in ConfigMaps, connection strings in a Secret',
      arguments: [appFile('the app.yaml, or a folder holding app.yaml (or tye.yaml / tye.yml)')],
      options: [
        { long: 'output', short: 'o', value: 'path', description: 'a folder (one file per object), a .yaml file (all objects), or - (stdout, the default)' },
        { long: 'namespace', short: 'n', value: 'name', description: 'put every object in this namespace' },
        { long: 'wait-image', value: 'image', description: 'image of the init containers that wait for dependencies (needs sh and nc)' },
        registry('the registry the images built from a dockerFile are pushed to and pulled from'),
      ],
      load: async () => (await import('./generate-command')).kubernetesCommand,
    },
    {
      name: 'compose',
      description: 'a Compose file: per service its image, replicas, ports, env, healthcheck and depends_on',
      arguments: [appFile('the app.yaml, or a folder holding app.yaml (or tye.yaml / tye.yml)')],
      options: [
        { long: 'output', short: 'o', value: 'file', description: 'the Compose file to write, or - (stdout, the default)' },
        registry('tag the images built from a dockerFile for this registry'),
      ],
      load: async () => (await import('./generate-command')).composeCommand,
    },
  ],
}

export const program: CommandSpec = {
  name: 'micronetes',
  description: 'Run a whole multi-service application on one machine from one app.yaml',
  commands: [validate, run, generate],
}
