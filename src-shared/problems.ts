// A problem found in app.yaml, pointing at the place a person must edit.
export interface ConfigProblem {
  /** path of the file as the user gave it */
  file: string
  /** 1-based */
  line: number
  /** 1-based */
  col: number
  message: string
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`
}
