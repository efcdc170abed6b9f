// Dropping an app.yaml on the window opens it. The dashboard may handle drops itself (it then
// calls preventDefault); a drop it leaves alone reaches the window here, and a yaml file in it
// is opened. Without this, a sandboxed page could not learn a dropped file's path at all.
// DOM types are spelled out: the preload compiles without the DOM library.

export interface DropEventLike {
  defaultPrevented: boolean
  preventDefault(): void
  dataTransfer: { files: ArrayLike<unknown> } | null
}

export interface DropTarget {
  addEventListener(type: 'dragover' | 'drop', listener: (event: DropEventLike) => void): void
}

const YAML_FILE = /\.ya?ml$/i

export function installFileDrop(
  target: DropTarget,
  options: { pathForFile(file: unknown): string; open(path: string): Promise<unknown>; onError(error: unknown): void },
): void {
  // a drop only fires where dragover was cancelled
  target.addEventListener('dragover', (event) => event.preventDefault())
  target.addEventListener('drop', (event) => {
    if (event.defaultPrevented) return
    event.preventDefault()
    const files = event.dataTransfer ? Array.from(event.dataTransfer.files) : []
    const path = files.map((file) => options.pathForFile(file)).find((p) => YAML_FILE.test(p))
    if (path) options.open(path).catch(options.onError)
  })
}
