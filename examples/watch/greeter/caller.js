// Asks the greeter every two seconds through its binding (SERVICE__GREETER__PORT), which stays
// the same while the greeter's replicas are replaced underneath.
const url = `http://${process.env.SERVICE__GREETER__HOST ?? 'localhost'}:${process.env.SERVICE__GREETER__PORT ?? '5010'}/`
setInterval(async () => {
  try {
    console.log((await (await fetch(url)).text()).trim())
  } catch (error) {
    console.error(`could not reach the greeter: ${error.message}`)
  }
}, 2000)
process.on('SIGTERM', () => process.exit(0))
