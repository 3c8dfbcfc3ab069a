// Loaded with --require by the Electronegativity check: its runner fetches translations and
// Electron's release list from GitHub on every run. This machine (and CI) has no internet, and a
// security check should not phone home anyway, so `got` answers "offline" at once.
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'got') {
    const offline = () => Promise.reject(new Error('offline: network access is disabled for this check'));
    offline.default = offline;
    return offline;
  }
  return load.call(this, request, ...rest);
};
