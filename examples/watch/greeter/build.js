// The greeter's build: src/greeting.txt into dist/greeting.json. An empty greeting fails the
// build, so you can see a failed build leave the running replica serving.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'

const text = readFileSync('src/greeting.txt', 'utf8').trim()
if (text === '') {
  console.error('src/greeting.txt: the greeting is empty')
  process.exit(1)
}
mkdirSync('dist', { recursive: true })
writeFileSync('dist/greeting.json', JSON.stringify({ greeting: text, builtAt: new Date().toISOString() }))
console.log(`built dist/greeting.json: "${text}"`)
