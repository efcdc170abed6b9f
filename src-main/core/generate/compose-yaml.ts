// The Compose file as YAML text, with what did not carry over written as comments above the
// service it is about (and above the file for the rest).
import { Document, isMap, isScalar } from 'yaml'
import type { ComposeOutput } from './compose'

export function composeYaml({ file, comments }: ComposeOutput, header: string[] = []): string {
  // quoted as YAML 1.1 needs: kubectl and Compose v1 read an unquoted on, yes or 22:22 as a boolean or a number
  const doc = new Document(file, { version: '1.1' })
  const top = [...header, ...(comments[''] ?? [])]
  if (top.length > 0) doc.commentBefore = top.map((c) => ` ${c}`).join('\n')
  const services = doc.get('services', true)
  if (isMap(services)) {
    for (const pair of services.items) {
      const said = isScalar(pair.key) ? comments[String(pair.key.value)] : undefined
      if (said !== undefined && isScalar(pair.key)) pair.key.commentBefore = said.map((c) => ` ${c}`).join('\n')
    }
  }
  return doc.toString({ lineWidth: 0 })
}
