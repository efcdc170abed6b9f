// host.docker.internal on a Linux engine is the default bridge's gateway (docker0), not the
// host's loopback: a proxy listening only on 127.0.0.1 is out of a container's reach. These
// are the addresses, on this machine, where a container arrives when it calls the host.
// Docker Desktop forwards host.docker.internal to the host's loopback, so there it is none.
import type Docker from 'dockerode'
import { readFile } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'

export async function hostGatewayAddresses(docker: Docker, engineIsLocal: boolean): Promise<string[]> {
  if (!engineIsLocal || process.platform !== 'linux') return []
  const bridge = await docker.getNetwork('bridge').inspect()
  const configs = (bridge.IPAM?.Config ?? []) as { Subnet?: string; Gateway?: string }[]
  const subnets = configs.flatMap((config) => (config.Subnet ? [config.Subnet] : []))
  const local = await localIPv4Addresses()
  // the gateway is this machine's own address inside the bridge's subnet
  return local.filter((address) => subnets.some((subnet) => inSubnet(address, subnet)))
}

/**
 * Every IPv4 address of this machine. Node lists only interfaces that are up and running,
 * and docker0 is not "running" while no container is attached, so the kernel's table of
 * local addresses is read as well.
 */
async function localIPv4Addresses(): Promise<string[]> {
  const found = new Set<string>()
  for (const address of Object.values(networkInterfaces()).flat()) {
    if (address?.family === 'IPv4') found.add(address.address)
  }
  try {
    const lines = (await readFile('/proc/net/fib_trie', 'utf8')).split('\n')
    lines.forEach((line, index) => {
      const match = /\|-- (\d+\.\d+\.\d+\.\d+)$/.exec(line.trimEnd())
      if (match && /\/32 host LOCAL/.test(lines[index + 1] ?? '')) found.add(match[1] as string)
    })
  } catch {
    // no /proc: what Node sees is all there is
  }
  return [...found]
}

function toNumber(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0)
}

function inSubnet(address: string, subnet: string): boolean {
  const [base, bits] = subnet.split('/')
  if (!base || !bits || !base.includes('.')) return false
  const size = 2 ** (32 - Number(bits))
  const start = Math.floor(toNumber(base) / size) * size
  const value = toNumber(address)
  return value >= start && value < start + size
}
