// A deliberately insecure window, to prove the Electronegativity check fails when it should.
const { BrowserWindow } = require('electron');
new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
