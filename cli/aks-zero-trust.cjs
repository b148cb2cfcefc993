#!/usr/bin/env node
// The package's bin (`npx aks-zero-trust ...`, see cli/main.ts): runs the TypeScript sources through tsx's loaders
// (the CommonJS one for require, the ESM one for the program's dynamic import under mocks).
require("tsx/cjs/api").register();
require("tsx/esm/api").register();
require("./main.ts");
