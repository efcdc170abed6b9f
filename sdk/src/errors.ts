export class UnknownServiceError extends Error {
  override readonly name = 'UnknownServiceError'

  constructor(
    readonly service: string,
    readonly knownServices: readonly string[],
  ) {
    const envName = service.toUpperCase()
    const known = knownServices.length > 0
      ? `Known services: ${knownServices.join(', ')}.`
      : 'No service is known to this process: it has no SERVICE__* or CONNECTIONSTRINGS__* variables (is it running under Micronetes?).'
    super(`Unknown service '${service}': neither SERVICE__${envName}__* nor CONNECTIONSTRINGS__${envName} is set. ${known}`)
  }
}

export class UnknownBindingError extends Error {
  override readonly name = 'UnknownBindingError'

  constructor(
    readonly service: string,
    readonly binding: string | undefined,
    readonly knownBindings: readonly string[],
  ) {
    const which = binding === undefined ? 'no default binding' : `no binding '${binding}'`
    const known = knownBindings.length > 0 ? knownBindings.join(', ') : 'none'
    super(`Service '${service}' has ${which}. Its bindings: ${known}.`)
  }
}

export class MissingClientLibraryError extends Error {
  override readonly name = 'MissingClientLibraryError'

  constructor(
    readonly library: string,
    readonly purpose: string,
    options?: ErrorOptions,
  ) {
    super(`${purpose} needs the '${library}' package, which is not installed: run \`npm install ${library}\` in the service's folder.`, options)
  }
}
