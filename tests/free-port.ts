// A free port for a test's own servers and app.yaml files: from one port book per test file
// (vitest loads this module once per file), so two ports asked for in a row differ.
import { PortBook } from '../src-main/core/port-book'

const book = new PortBook()

export function freePort(avoid?: ReadonlySet<number>): Promise<number> {
  return book.freePort(avoid)
}
