// Stands in for archiver in the app bundle (scripts/app.js): cdktf requires archiver when it
// starts, for directory assets of type ARCHIVE, which cost about 130 ms to load and which this
// project never builds (the canary's zip is made by lib/deterministic-zip.ts). Loaded on first use.
"use strict";
const load = require;
module.exports = (...args) => load(load.resolve("archiver", { paths: [process.cwd()] }))(...args);
