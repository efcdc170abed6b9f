// The logs bench's floor for the API under a flood: the least any Node orchestrator does. One
// Node process starts the same writer, reads its output from a pipe and throws it away, and
// answers every GET with a small JSON body. The API sampler measures it exactly as it measures
// `micronetes run`, so the two p99s come from the same machine in the same minute.
//
//   node bench/results/flood-reference-server.mjs PORT SHELL_COMMAND
//
// Listens on 127.0.0.1:PORT, starts the command a second later, and runs until killed.
import { spawn } from 'node:child_process'
import http from 'node:http'

const [port, command] = process.argv.slice(2)
if (!port || !command) throw new Error('usage: flood-reference-server PORT SHELL_COMMAND')
// about what GET /api/v1/services answers for one service of one replica
const body = JSON.stringify([{ name: 'flood', kind: 'executable', replicas: 1, ready: 1, state: 'running', bindings: [], replicaStatuses: [{ name: 'flood_1', state: 'running', pid: 1, restarts: 0 }] }])
const server = http.createServer((_request, response) => {
  response.setHeader('Content-Type', 'application/json')
  response.end(body)
})
server.listen(Number(port), '127.0.0.1', () => {
  setTimeout(() => {
    const writer = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'] })
    writer.stdout.on('data', () => undefined)
  }, 1000)
})
