// Calls web once a second and logs what it got. It finds web through the SDK, which reads the
// variables Micronetes injects (SERVICE__WEB__HOST/PORT/PROTOCOL), so no address is written here.
// web being down is an ordinary line in the log, never a crash.
const instance = process.env.APP_INSTANCE ?? 'worker'

// the SDK is this repository's workspace package, built by `npm run build`
const { createClientFactory } = await import('@micronetes/sdk').catch((error) => {
  console.error(`${instance}: cannot load @micronetes/sdk (${error.code ?? error.message}): build it at the repository root with \`npm ci && npm run build -w @micronetes/sdk\``)
  process.exit(1)
})

let web
try {
  web = createClientFactory().http.createClient('web', { timeoutMs: 2000 })
} catch (error) {
  // outside Micronetes nothing tells the worker where web is: say so in one line
  console.error(`${instance}: ${error.message}`)
  process.exit(1)
}

async function callWeb() {
  try {
    const res = await web.get('/')
    const body = await res.json()
    console.log(`${instance}: ${web.baseUrl} answered ${res.status} from ${body.instance}`)
  } catch (error) {
    console.error(`${instance}: cannot reach web: ${error.message}`)
  }
}

const timer = setInterval(callWeb, 1000)
void callWeb()

process.on('SIGTERM', () => {
  console.log(`${instance} stopping`)
  clearInterval(timer)
  process.exit(0)
})
