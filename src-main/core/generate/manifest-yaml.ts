// Generated objects as YAML text: one document each, what did not carry over written above it
// as comments, so a person reading the manifest sees it where it matters.
import { Document } from 'yaml'
import { plainText } from '../../../src-shared/terminal-text'

export interface Commented {
  object: unknown
  comments: string[]
}

export function yamlDocument({ object, comments }: Commented): string {
  // quoted as YAML 1.1 needs: kubectl and Compose v1 read an unquoted on, yes or 22:22 as a boolean or a number
  const doc = new Document(object, { version: '1.1' })
  // a comment line per note; the library adds the "#"
  // a comment quotes app.yaml (a log pattern), which may hold controls no YAML file may carry
  if (comments.length > 0) doc.commentBefore = comments.map((c) => ` ${plainText(c)}`).join('\n')
  // long values (commands, connection strings) stay on one line, as written
  return doc.toString({ lineWidth: 0 })
}

/** one stream of documents, as `kubectl apply -f -` reads it */
export function yamlStream(items: Commented[]): string {
  return items.map(yamlDocument).join('---\n')
}
