/**
 * Plans a stack file in a child process and reads the plan's JSON: Pulumi's runtime runs one program per process,
 * so a command that needs several plans (the security diff's two sides, suggest's guardrail checks) starts one
 * process each. Compiled (dist/cli/*.js), the plan is the compiled sibling run by node; from the sources, tsx runs
 * cli/plan.ts. Test runs share identical plans through planCache.ts (off unless its environment variable is set).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { projectDir } from "../../offline/runtime";
import type { ClusterLifecycle, PlanSecurityJson } from "../../offline/report";
import { PLAN_CACHE_VARIABLE, planCacheInputs, planCacheKey, programDigest, claimCachedPlan, storeCachedPlan } from "./planCache";

/** A stack could not be planned; the message says which and why (the plan's own error output). */
export class PlanProcessError extends Error {}

/** The parts of `npm run plan -- --format json` that the diff and suggest read. */
export interface PlannedStackJson {
    readonly security: PlanSecurityJson;
    readonly policies?: PlanSecurityJson["policies"];
    /** Kubernetes version, pools and maintenance windows (absent in plans that predate them). */
    readonly lifecycle?: ClusterLifecycle;
    /** The warnings the plan printed (config that is valid but probably wrong). */
    readonly warnings?: readonly string[];
}

/** Plans `configFile` as `stack` (`extraArgs`: further plan flags) and returns its JSON; `label` names it in errors. */
export async function planStackJson(stack: string, configFile: string, label: string, extraArgs: readonly string[] = []): Promise<PlannedStackJson> {
    const compiled = path.extname(__filename) === ".js";
    const projectRoot = projectDir(__dirname);
    const [command, script] = compiled
        ? [process.execPath, path.join(__dirname, "plan.js")]
        : [path.join(projectRoot, "node_modules", ".bin", "tsx"), path.join(projectRoot, "cli", "plan.ts")];
    const args = ["--stack", stack, "--config", configFile, ...extraArgs, "--format", "json"];
    const cacheFolder = process.env[PLAN_CACHE_VARIABLE];
    const inputs = cacheFolder ? planCacheInputs(planningProgram(compiled, projectRoot), args, process.env, new Date()) : undefined;
    const key = inputs ? planCacheKey(inputs) : undefined;
    // The same plan under way in another process: wait for it rather than make it twice.
    const claim = cacheFolder && key ? await claimCachedPlan(cacheFolder, key) : undefined;
    if (claim?.cached !== undefined) return JSON.parse(claim.cached) as PlannedStackJson;
    try {
        const result = await runProcess(command, [script, ...args]);
        if (!result.stdout.trim()) {
            throw new PlanProcessError(`cannot plan ${label}:\n${result.stderr.trim()}`);
        }
        const plan = JSON.parse(result.stdout) as PlannedStackJson;
        if (cacheFolder && key) storeCachedPlan(cacheFolder, key, result.stdout, args, process.cwd());
        return plan;
    } finally {
        claim?.release();
    }
}

/** A digest of every file the child plan can load: the compiled bundles beside this one, or the project's sources; and the dependencies' lock file. */
export function planningProgram(compiled: boolean, projectRoot: string): string {
    const lockFile = path.join(projectRoot, "package-lock.json");
    return compiled ? programDigest([path.dirname(__dirname)], [".js"], lockFile) : programDigest([projectRoot], [".ts"], lockFile);
}

/** Runs a process to its end, collecting its output (stdout and stderr as text). */
function runProcess(command: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.on("error", reject);
        child.on("close", () => resolve({ stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
    });
}
