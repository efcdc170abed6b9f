// The broker client libraries are optional peer dependencies: a service that only uses discovery
// or HTTP installs neither, so they are loaded on first use and a missing one becomes a clear error.

import { MissingClientLibraryError } from './errors.js'

function isModuleNotFound(error: unknown, library: string): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(library)
}

export async function loadOptional<T>(library: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (error) {
    if (isModuleNotFound(error, library)) throw new MissingClientLibraryError(library, purpose, { cause: error })
    throw error
  }
}
