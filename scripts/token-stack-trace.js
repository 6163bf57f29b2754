// Stands in for cdktf's tokens/private/stack-trace.js in the app bundle (scripts/app.js) and in
// jest (jest.config.js). cdktf records the whole call stack of every token when it is made: about
// a hundred per stack, each a capture of unbounded depth, formatted into strings at once; that is
// a third of the time and a fifth of the memory of a synth with many consumers (docs/speed.md).
// The stack only appears in the text of an error that a token could not be resolved: a defect of
// this project's code, which one debugs with source maps on; in the bundle, without them, it would
// name bundle lines anyway. So it is recorded only when source maps are on:
//   NODE_OPTIONS=--enable-source-maps npx cdktf synth     (or npx jest)
"use strict";
const load = require;

function captureStackTrace(below) {
  if (!process.sourceMapsEnabled) return [];
  // cdktf's own module, by its full name (the bundle and jest map only the relative one to this file).
  const cdktf = load(load.resolve("cdktf/lib/tokens/private/stack-trace.js", { paths: [process.cwd()] }));
  return cdktf.captureStackTrace(below || captureStackTrace);
}

exports.captureStackTrace = captureStackTrace;
