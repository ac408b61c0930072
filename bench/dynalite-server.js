// Starts dynalite (in memory) on loopback and prints its address, as dynaplay-server does, so
// the benchmarks can treat both alike. Usage: node dynalite-server.js [PORT] (default: a free one)
'use strict'
const dynalite = require('dynalite')

// Tables become ACTIVE at once, as they do in dynaplay; the benchmark measures requests.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  const { address, port } = server.address()
  console.log(`dynalite listening on http://${address}:${port}`)
})
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
