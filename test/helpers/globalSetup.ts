/**
 * Once per `npm test`, before any test file: a fresh plan cache (cli/common/planCache.ts) that every test file's
 * child-process plans share, a fresh compile cache for node, and one build of the command lines that the end-to-end
 * tests run as `npm run` does (test/helpers/cli.ts compiledCli). All are deleted when the run ends.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PLAN_CACHE_VARIABLE } from "../../cli/common/planCache";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Names the folder of this run's build of the command lines. */
export const CLI_BUILD_VARIABLE = "AKS_ZERO_TRUST_TEST_CLI_BUILD";

/** Vitest runs the global setup once for the root config and once for each project that extends it: once is enough. */
const DONE = Symbol.for("aks-zero-trust.test-global-setup");

export default function setup(): () => void {
    const holder = globalThis as { [DONE]?: true };
    if (holder[DONE]) return () => undefined;
    holder[DONE] = true;
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cache-"));
    process.env[PLAN_CACHE_VARIABLE] = cache;
    // Node's on-disk cache of compiled code, for every process the run starts (test workers, command lines, plans):
    // each of them loads the same Pulumi SDK and bundles, and compiles them once instead of every time. It changes
    // nothing a process does; node keys each entry on the source's hash.
    const compiled = fs.mkdtempSync(path.join(os.tmpdir(), "node-compile-cache-"));
    process.env.NODE_COMPILE_CACHE ??= compiled;
    // Inside the project, so that the bundles find node_modules as dist/ does; never a stale dist/.
    fs.mkdirSync(path.join(PROJECT_DIR, "node_modules", ".cache"), { recursive: true });
    const build = fs.mkdtempSync(path.join(PROJECT_DIR, "node_modules", ".cache", "cli-test-"));
    const result = spawnSync(process.execPath, [path.join(PROJECT_DIR, "scripts", "build.mjs"), build], { cwd: PROJECT_DIR, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`the build failed: ${result.stderr}`);
    process.env[CLI_BUILD_VARIABLE] = build;
    return () => {
        delete holder[DONE];
        fs.rmSync(cache, { recursive: true, force: true });
        fs.rmSync(compiled, { recursive: true, force: true });
        fs.rmSync(build, { recursive: true, force: true });
    };
}
