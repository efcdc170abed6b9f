// What a generator hands back: the objects, and what did not carry over, said in words both
// in the output (as YAML comments) and on the terminal.

/** something of app.yaml that has no form on the target, or needs a person's hand there */
export interface Note {
  /** the service it is about, if one */
  service?: string
  message: string
}

export type Generated<T> = { ok: true; value: T; notes: Note[] } | { ok: false; problems: string[] }

export function noteText(note: Note): string {
  return note.service === undefined ? note.message : `service "${note.service}": ${note.message}`
}
