// Where this process's own control groups are: the mounts come from /proc/self/mountinfo, the
// process's place in each hierarchy from /proc/self/cgroup. Machines differ (cgroup v2 only on a
// systemd desktop, v1 controllers beside v2 in "hybrid" mode, either one inside a container with
// its own cgroup namespace), so nothing here assumes a path.

export interface CgroupPlace {
  version: 1 | 2
  /** the directory of this process's own cgroup in that hierarchy */
  dir: string
}

interface CgroupMount {
  version: 1 | 2
  mountPoint: string
  /** the part of the hierarchy the mount shows (not '/' for a bind mount of a subtree) */
  root: string
  /** v1: the controllers (and name=...) the hierarchy carries */
  options: string[]
}

/** mountinfo writes space, tab, newline and backslash as \ooo */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
}

function parseMountinfo(text: string): CgroupMount[] {
  const mounts: CgroupMount[] = []
  for (const line of text.split('\n')) {
    const [before, after] = line.split(' - ')
    if (!before || !after) continue
    const fields = before.split(' ')
    const [fsType, , superOptions = ''] = after.split(' ')
    const root = fields[3]
    const mountPoint = fields[4]
    if (!root || !mountPoint) continue
    if (fsType === 'cgroup2') mounts.push({ version: 2, mountPoint: unescapeMountPath(mountPoint), root: unescapeMountPath(root), options: [] })
    else if (fsType === 'cgroup') mounts.push({ version: 1, mountPoint: unescapeMountPath(mountPoint), root: unescapeMountPath(root), options: superOptions.split(',') })
  }
  return mounts
}

/** the directory a cgroup path is at under a mount, or undefined when the mount does not show it */
function under(mount: CgroupMount, path: string): string | undefined {
  const root = mount.root.replace(/\/$/, '')
  if (path !== root && !path.startsWith(`${root}/`)) return undefined
  const rest = path.slice(root.length).replace(/^\/+/, '')
  return rest ? `${mount.mountPoint.replace(/\/$/, '')}/${rest}` : mount.mountPoint
}

/**
 * This process's own cgroups that could hold replicas, best first: the v2 one (it has
 * cgroup.kill on Linux 5.14 and later, and a freezer everywhere), then v1's freezer. From the
 * texts of /proc/self/mountinfo and /proc/self/cgroup.
 */
export function ownCgroups(mountinfo: string, procCgroup: string): CgroupPlace[] {
  const mounts = parseMountinfo(mountinfo)
  const places: CgroupPlace[] = []
  for (const line of procCgroup.split('\n')) {
    // hierarchy-id:controllers:path; v2 is id 0 with no controllers
    const match = /^(\d+):([^:]*):(.*)$/.exec(line)
    if (!match) continue
    const [, id, controllers = '', path = '/'] = match
    if (id === '0' && controllers === '') {
      for (const mount of mounts.filter((m) => m.version === 2)) {
        const dir = under(mount, path)
        if (dir) {
          places.unshift({ version: 2, dir })
          break
        }
      }
    } else if (controllers.split(',').includes('freezer')) {
      for (const mount of mounts.filter((m) => m.version === 1 && m.options.includes('freezer'))) {
        const dir = under(mount, path)
        if (dir) {
          places.push({ version: 1, dir })
          break
        }
      }
    }
  }
  return places
}
