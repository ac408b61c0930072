// Starts dynalite (in memory) on a free loopback port and prints its address, as
// dynaplay-server does, so bench/http.sh can treat both servers alike.
'use strict'
const dynalite = require('dynalite')

// Tables become ACTIVE at once, as they do in dynaplay; the benchmark measures requests.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  const { address, port } = server.address()
  console.log(`dynalite listening on http://${address}:${port}`)
})
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
