import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The project folder (the nearest one up with a package.json), found from a module's own folder. Works both
 * from the TypeScript sources (cli/, offline/) and from the compiled bundles one level deeper (dist/cli/).
 */
export function projectDir(moduleDir: string): string {
    for (let dir = moduleDir; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) return path.resolve(moduleDir, "..");
    }
}

/**
 * The Pulumi program to run offline: index.ts from the sources (tsx, vitest), or, when running from a build
 * (`npm run plan`), the compiled program of that same build, which plain node can load: the bundles sit one level
 * below the build's folder (dist/cli/plan.js) beside the program (dist/index.js).
 */
export function programPath(moduleDir: string): string {
    if (path.extname(__filename) === ".js") {
        const compiled = path.resolve(moduleDir, "..", "index.js");
        if (fs.existsSync(compiled)) return compiled;
    }
    return path.join(projectDir(moduleDir), "index.ts");
}
