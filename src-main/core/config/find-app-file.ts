// Which file a folder's application is in: app.yaml first, then Project Tye's tye.yaml and
// tye.yml, so `micronetes run` in a Tye repository finds its file as `tye run` would.
import { statSync } from 'node:fs'
import { join } from 'node:path'

export const APP_FILE_NAMES = ['app.yaml', 'tye.yaml', 'tye.yml'] as const

export type FoundAppFile = { ok: true; file: string } | { ok: false; message: string }

/** a folder is searched for the names above, in that order; anything else is taken as the file (the loader says when it is missing) */
export function findAppFile(fileOrFolder: string): FoundAppFile {
  const stat = statSync(fileOrFolder, { throwIfNoEntry: false })
  if (!stat?.isDirectory()) return { ok: true, file: fileOrFolder }
  for (const name of APP_FILE_NAMES) {
    const file = join(fileOrFolder, name)
    if (statSync(file, { throwIfNoEntry: false })?.isFile()) return { ok: true, file }
  }
  return { ok: false, message: `no ${APP_FILE_NAMES.join(', ').replace(/, ([^,]*)$/, ' or $1')} in ${fileOrFolder}` }
}
