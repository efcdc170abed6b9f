// The app.yaml files opened last, newest first. The session keeps the one list, so the window's
// Open Recent menu and a dashboard (in the window or a browser) read the same; the desktop app
// hands in one kept in a file, the CLI an in-memory one.
export interface RecentList {
  list(): string[]
  add(path: string): void
  remove(path: string): void
  clear(): void
}

export const MAX_RECENT_FILES = 10

export class MemoryRecentList implements RecentList {
  private files: string[] = []

  constructor(private readonly max = MAX_RECENT_FILES) {}

  list(): string[] {
    return [...this.files]
  }

  add(path: string): void {
    this.files = [path, ...this.files.filter((f) => f !== path)].slice(0, this.max)
  }

  remove(path: string): void {
    this.files = this.files.filter((f) => f !== path)
  }

  clear(): void {
    this.files = []
  }
}
