/**
 * The build step (`npm run build`, run by `npm ci` through `prepare`): the compiled command lines that
 * `npm run reach|plan|diff` start must behave as the sources do. Builds into a scratch folder, so the test
 * never depends on a stale dist/.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../cli/reach";
import { runPlanInProcess } from "../helpers/cli";
import { widestLine } from "../helpers/width";

const ROOT = path.resolve(__dirname, "..", "..");
// Inside the project, so the bundles find node_modules as dist/ does (packages stay external).
fs.mkdirSync(path.join(ROOT, "node_modules", ".cache"), { recursive: true });
const out = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache", "build-test-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
/** One build for the three tests below (each checks it succeeded): the build writes the same files every time. */
let built: SpawnSyncReturns<string> | undefined;
const buildOnce = () => (built ??= spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs"), out], { cwd: ROOT, encoding: "utf8" }));

describe("npm run build", () => {
    it("compiles every script entry point, and the compiled reach prints what the sources print", () => {
        const build = buildOnce();
        expect(build.stderr).toBe("");
        expect(build.status).toBe(0);
        const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        for (const name of ["reach", "plan", "diff", "bench"]) {
            const entry = /^node (dist\/\S+\.js)$/.exec(scripts[name]!)?.[1];
            expect(entry, `npm run ${name} runs compiled JavaScript`).toBeDefined();
            expect(fs.existsSync(path.join(out, path.relative("dist", entry!)))).toBe(true);
        }
        expect(scripts.prepare).toContain("scripts/build.mjs");

        const args = ["--format", "json", "test/reach/fixtures/shop"];
        const compiled = spawnSync(process.execPath, [path.join(out, "cli", "reach.js"), ...args], { cwd: ROOT, encoding: "utf8" });
        let stdout = "";
        let stderr = "";
        const status = run(args, { out: (text) => (stdout += text), err: (text) => (stderr += text) });
        expect(compiled.status).toBe(status);
        expect(compiled.stdout).toBe(stdout);
        expect(compiled.stderr).toBe(stderr);
    });

    it("the compiled bench: --help runs nothing; a small run prints its lines within 120 columns", () => {
        const build = buildOnce();
        expect(build.status).toBe(0);
        const bench = path.join(out, "cli", "bench.js");
        const help = spawnSync(process.execPath, [bench, "--help"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_execpath: "" } });
        expect(help.status).toBe(0);
        expect(help.stdout).toMatch(/^usage: npm run bench -- \[--runs R\] \[--sizes N,N\]\n/);
        expect(help.stdout).not.toMatch(/^N=1/m);
        // Two sizes, one run each: the benchmark's own lines, not its timings (no test is timed).
        const run = spawnSync(process.execPath, [bench, "--runs", "1", "--sizes", "2"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_execpath: "" } });
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/^N=1 {4} workloads/m);
        expect(run.stdout).toMatch(/^N=2 {4} workloads/m);
        expect(widestLine(run.stdout)).toBeLessThanOrEqual(120);
    });

    it("the compiled plan (its own bundle beside the compiled program) prints what the sources print, offline", async () => {
        const build = buildOnce();
        expect(build.status).toBe(0);
        const args = ["--stack", "prod", "--format", "json"];
        const compiled = spawnSync(process.execPath, [path.join(out, "cli", "plan.js"), ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const sources = await runPlanInProcess(args);
        expect(compiled.stderr).toBe(sources.stderr);
        expect(compiled.status).toBe(0);
        expect(compiled.stdout).toBe(sources.stdout);
    });
});
