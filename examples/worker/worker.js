// Calls web once a second through the address Micronetes injects (SERVICE__WEB__HOST/PORT)
// and logs what it got. web being down is an ordinary line in the log, never a crash.
const instance = process.env.APP_INSTANCE ?? 'worker'
const host = process.env.SERVICE__WEB__HOST ?? 'localhost'
const port = process.env.SERVICE__WEB__PORT ?? '5005'
const url = `http://${host}:${port}/`

async function callWeb() {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
    const body = await res.json()
    console.log(`${instance}: ${url} answered ${res.status} from ${body.instance}`)
  } catch (error) {
    console.error(`${instance}: cannot reach web at ${url}: ${error.cause?.code ?? error.cause?.message ?? error.message}`)
  }
}

const timer = setInterval(callWeb, 1000)
void callWeb()

process.on('SIGTERM', () => {
  console.log(`${instance} stopping`)
  clearInterval(timer)
  process.exit(0)
})
