// The Compose file as YAML text, with what did not carry over written as comments above the
// service it is about (and above the file for the rest).
import { Document, isMap, isScalar } from 'yaml'
import { plainText } from '../../../src-shared/terminal-text'
import type { ComposeOutput } from './compose'

// a comment quotes app.yaml (a log pattern), which may hold controls no YAML file may carry
const commentLines = (lines: string[]): string => lines.map((c) => ` ${plainText(c)}`).join('\n')

export function composeYaml({ file, comments }: ComposeOutput, header: string[] = []): string {
  // quoted as YAML 1.1 needs: kubectl and Compose v1 read an unquoted on, yes or 22:22 as a boolean or a number
  const doc = new Document(file, { version: '1.1' })
  const top = [...header, ...(comments[''] ?? [])]
  if (top.length > 0) doc.commentBefore = commentLines(top)
  const services = doc.get('services', true)
  if (isMap(services)) {
    for (const pair of services.items) {
      const said = isScalar(pair.key) ? comments[String(pair.key.value)] : undefined
      if (said !== undefined && isScalar(pair.key)) pair.key.commentBefore = commentLines(said)
    }
  }
  return doc.toString({ lineWidth: 0 })
}
