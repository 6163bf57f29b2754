// Runs the canary in a process of its own, for the tests: NODE_EXTRA_CA_CERTS (the test's own CA)
// is read only when Node starts. Names resolve through the `hosts` map only: a name mapped to null,
// or not in the map, fails as DNS does (ENOTFOUND), and no DNS query is ever sent.
"use strict";
const { run } = require("../../canary/index.js");

const { targets, hosts, timeoutMs } = JSON.parse(process.argv[2]);

function lookup(hostname, options, callback) {
  const address = hosts[hostname];
  if (!address) {
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
    return process.nextTick(callback, error);
  }
  if (options && options.all) return process.nextTick(callback, null, [{ address, family: 4 }]);
  process.nextTick(callback, null, address, 4);
}

run(targets, { lookup, timeoutMs }).then((answer) => process.stdout.write(JSON.stringify(answer)));
