// Reads app.yaml with a ceiling: a huge (or endless, like /dev/zero) file is refused after
// reading one byte past the limit, never loaded whole.
import { open } from 'node:fs/promises'

export const MAX_APP_FILE_BYTES = 1024 * 1024

export type ReadResult = { ok: true; text: string } | { ok: false; message: string }

export async function readAppFile(path: string): Promise<ReadResult> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    return { ok: false, message: cannotOpen(error) }
  }
  try {
    const buffer = Buffer.alloc(MAX_APP_FILE_BYTES + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > MAX_APP_FILE_BYTES) return { ok: false, message: tooLarge() }
    return { ok: true, text: buffer.toString('utf8', 0, length) }
  } catch (error) {
    return { ok: false, message: cannotOpen(error) }
  } finally {
    await handle.close()
  }
}

export function tooLarge(): string {
  return `the file is larger than ${MAX_APP_FILE_BYTES / 1024 / 1024} MiB; an app.yaml is refused above that size`
}

function cannotOpen(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOENT': return 'no such file'
    case 'EISDIR': return 'is a folder, not a file'
    case 'EACCES':
    case 'EPERM': return 'permission denied: cannot read the file'
    default: return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`
  }
}
