// nginx upstreams and an HAProxy TCP round-robin front, each with its own config in a temp
// dir, on free loopback ports. Only loopback addresses are ever configured.
import { chmod, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitForPort } from './ports'
import { type Started, startProcess } from './processes'

export const SMALL_PAGE_BYTES = 612

export interface Workspace {
  dir: string
  bulkBytes: number
  remove(): Promise<void>
}

export async function makeWorkspace(bulkBytes: number): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'micronetes-bench-'))
  // nginx workers drop to `nobody`: they must be able to read the files
  await chmod(dir, 0o755)
  await writeFile(join(dir, 'index.html'), 'x'.repeat(SMALL_PAGE_BYTES - 1) + '\n')
  // a sparse file: sendfile reads it from the page cache, so nginx itself costs little
  const bulk = await open(join(dir, 'bulk.bin'), 'w')
  await bulk.truncate(bulkBytes)
  await bulk.close()
  return { dir, bulkBytes, remove: () => rm(dir, { recursive: true, force: true }) }
}

export interface Server {
  name: string
  port: number
  process: Started
}

export async function startNginx(workspace: Workspace, name: string): Promise<Server> {
  const port = await freePort()
  const conf = join(workspace.dir, `${name}.conf`)
  await writeFile(conf, `
daemon off;
worker_processes 1;
pid ${workspace.dir}/${name}.pid;
error_log ${workspace.dir}/${name}.error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path ${workspace.dir}/${name}-body;
  proxy_temp_path ${workspace.dir}/${name}-proxy;
  fastcgi_temp_path ${workspace.dir}/${name}-fastcgi;
  uwsgi_temp_path ${workspace.dir}/${name}-uwsgi;
  scgi_temp_path ${workspace.dir}/${name}-scgi;
  server {
    listen 127.0.0.1:${port};
    root ${workspace.dir};
  }
}
`)
  const process = startProcess('nginx', ['-p', workspace.dir, '-c', conf, '-e', `${workspace.dir}/${name}.error.log`])
  await waitForPort(port, process)
  return { name, port, process }
}

export async function startHaproxy(workspace: Workspace, upstreams: Server[]): Promise<Server> {
  const port = await freePort()
  const conf = join(workspace.dir, 'haproxy.cfg')
  await writeFile(conf, `
global
  # its default needs more file descriptors than a usual ulimit -n allows
  maxconn 4000
defaults
  mode tcp
  timeout connect 5s
  timeout client 120s
  timeout server 120s
frontend front
  bind 127.0.0.1:${port}
  default_backend upstreams
backend upstreams
  balance roundrobin
${upstreams.map((u) => `  server ${u.name} 127.0.0.1:${u.port}`).join('\n')}
`)
  const process = startProcess('haproxy', ['-db', '-f', conf])
  await waitForPort(port, process)
  return { name: 'haproxy', port, process }
}
