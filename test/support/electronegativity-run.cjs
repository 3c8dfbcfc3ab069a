// Runs Electronegativity over one folder and prints its issues as JSON (one line).
const electronegativity = require('@doyensec/electronegativity');
const run = electronegativity.default ?? electronegativity;
const quiet = console.log;
console.log = () => {};
run({
  input: process.argv[2],
  electronVersionOverride: process.argv[3],
  severitySet: 'informational',
  confidenceSet: 'tentative',
  isRelative: true,
  // This check compares against Electron's live release list, which needs the internet.
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
})
  .then((result) => {
    console.log = quiet;
    process.stdout.write(
      `${JSON.stringify(result.issues.map((i) => ({ id: i.id, severity: i.severity.name, confidence: i.confidence.name, file: i.file, line: i.location && i.location.line, description: i.description })))}\n`,
    );
  })
  .catch((error) => {
    console.log = quiet;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
