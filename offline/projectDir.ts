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
 * The Pulumi program to run offline: index.ts from the sources (tsx, vitest), or the compiled dist/index.js
 * when running from the build (`npm run plan`), which plain node can load.
 */
export function programPath(moduleDir: string): string {
    const root = projectDir(moduleDir);
    const compiled = path.join(root, "dist", "index.js");
    return path.extname(__filename) === ".js" && fs.existsSync(compiled) ? compiled : path.join(root, "index.ts");
}
