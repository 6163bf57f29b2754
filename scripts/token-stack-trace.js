// Stands in, in the app bundle (scripts/app.js), for cdktf's tokens/private/stack-trace.js, which
// records the whole call stack of every token when it is made: about a hundred per stack, each a
// stack capture of unbounded depth, formatted into strings at once. The stack only appears in the
// text of an error that a token could not be resolved (a defect of this project's code, which its
// tests, run without the bundle, report with the full stack), and in the bundle it names lines of
// the bundle. It is a quarter of the time and memory of a synth with many consumers (README, "Speed").
// So the bundle records it only when source maps are on, which is how one debugs the bundle:
// NODE_OPTIONS=--enable-source-maps npx cdktf synth
"use strict";
const load = require;

function captureStackTrace(below) {
  if (!process.sourceMapsEnabled) return [];
  // cdktf's own module, loaded outside the bundle (the bundle resolves this path to this file).
  const cdktf = load(load.resolve("cdktf/lib/tokens/private/stack-trace.js", { paths: [process.cwd()] }));
  return cdktf.captureStackTrace(below || captureStackTrace);
}

exports.captureStackTrace = captureStackTrace;
