// A replica on Windows. A process group cannot be signalled there (process.kill(-pid) does
// nothing), so a replica is stopped the way Windows' own tools stop a tree: `taskkill /T` (the
// process and every descendant, found by parent process id) asks politely, `taskkill /T /F`
// ends them after the grace period. Console programs do not take the polite request (taskkill
// says they "can only be terminated forcefully"), so for them the grace period is a wait.
// A batch file (npm.cmd) runs through cmd.exe, as Windows runs it.
import type { ReplicaContainer } from '../containment/replica-container'
import { batchFileArguments, isBatchFile } from './windows-command-line'

/** what the container needs from Windows: replaced in tests on other systems */
export interface WindowsTools {
  /** runs a program to its end; resolves with its exit code, null when it could not run */
  run(file: string, args: string[]): Promise<number | null>
  alive(pid: number): boolean
  /** cmd.exe's path (%ComSpec%) */
  readonly comSpec: string
}

export class WindowsTreeContainer implements ReplicaContainer {
  readonly cgroupDir = undefined
  private leader: number | undefined

  constructor(private readonly tools: WindowsTools) {}

  command(file: string, args: string[]): { file: string; args: string[]; verbatim?: boolean } {
    if (isBatchFile(file)) return { file: this.tools.comSpec, args: batchFileArguments(file, args), verbatim: true }
    return { file, args }
  }

  started(pid: number): void {
    this.leader = pid
  }

  /**
   * Only the leader can be asked about: once it is gone, taskkill cannot find its tree either
   * (docs/process-containment.md says what that leaves).
   */
  alive(): boolean {
    return this.leader !== undefined && this.tools.alive(this.leader)
  }

  signal(signal: NodeJS.Signals): boolean {
    if (!this.alive()) return false
    void this.taskkill(signal === 'SIGKILL')
    return true
  }

  async kill(): Promise<void> {
    if (this.alive()) await this.taskkill(true)
  }

  private taskkill(force: boolean): Promise<number | null> {
    return this.tools.run('taskkill', ['/PID', String(this.leader), '/T', ...(force ? ['/F'] : [])])
  }

  dispose(): void {}
}
