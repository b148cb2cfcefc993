#!/usr/bin/env node
// The package's bin (`npx aks-zero-trust ...`, see cli/main.ts). It runs the compiled bundle that `npm ci` builds
// (dist/cli/main.js, through `prepare`), as the npm scripts do; without it (sources only), it runs the TypeScript
// through tsx's loaders (the CommonJS one for require, the ESM one for the program's dynamic import under mocks).
const fs = require("node:fs");
const path = require("node:path");

const compiled = path.join(__dirname, "..", "dist", "cli", "main.js");
if (fs.existsSync(compiled)) {
    require(compiled);
} else {
    require("tsx/cjs/api").register();
    require("tsx/esm/api").register();
    require("./main.ts");
}
