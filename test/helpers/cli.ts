import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { vi } from "vitest";
import type { Command } from "../../cli/common/command";
import { CLI_BUILD_VARIABLE } from "./globalSetup";
import { PROJECT_DIR } from "./stack";

/** Result of running one of the project's command-line tools. */
export interface CliResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `tsx <script> args...` in its own process from the project folder, as `npm run` would (end-to-end tests). */
export function runCli(script: string, args: readonly string[], cwd = PROJECT_DIR): CliResult {
    const tsx = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
    const result = spawnSync(tsx, [path.join(PROJECT_DIR, script), ...args], { cwd, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The command lines as `npm run` starts them (node on the compiled bundles, which plan their stacks with node too),
 * from the build of the sources that the suite's global setup makes once per run (test/helpers/globalSetup.ts),
 * never from a stale dist/. A third of the CPU time of running the sources with tsx: for tests that plan stacks.
 */
export function compiledCli(command: CompiledCommand, args: readonly string[], cwd = PROJECT_DIR): CliResult {
    const result = spawnSync(process.execPath, [compiledScript(command), ...args], { cwd, encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** compiledCli without blocking: for commands that spend their time in their own plans, run beside other work. */
export function startCompiledCli(command: CompiledCommand, args: readonly string[], cwd = PROJECT_DIR): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [compiledScript(command), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
    });
}

type CompiledCommand = "diff" | "plan" | "suggest" | "review" | "reach";

function compiledScript(command: CompiledCommand): string {
    const build = process.env[CLI_BUILD_VARIABLE];
    if (!build) throw new Error(`${CLI_BUILD_VARIABLE} is not set: run the tests through vitest.config.mts (its global setup builds the command lines)`);
    return path.join(build, "cli", `${command}.js`);
}

/** A command and the error types that are the user's input, as a CLI module exports them. */
export interface LoadedCommand {
    readonly command: Command;
    readonly inputErrors?: ReadonlyArray<new (...args: any[]) => Error>;
}

/**
 * Runs a command in this process with captured output: what `runCli` checks, without a process and a TypeScript
 * load per call. The program under mocks (index.ts) registers its resources when it is imported, and modules keep
 * state (the mock runtime swaps the API access probe of the module index.ts uses), so every run starts from a fresh
 * module registry and loads the command from it: `load` imports the CLI module.
 */
export async function runInProcess(load: () => Promise<LoadedCommand>, args: readonly string[]): Promise<CliResult> {
    vi.resetModules();
    const { command, inputErrors } = await load();
    const { runCommand } = await import("../../cli/common/command");
    let stdout = "";
    let stderr = "";
    const status = await runCommand(command, [...args], { out: (text) => { stdout += text; }, err: (text) => { stderr += text; }, errIsTerminal: false }, inputErrors);
    return { status, stdout, stderr };
}

/** `npm run plan -- args`, in this process. */
export function runPlanInProcess(args: readonly string[]): Promise<CliResult> {
    return runInProcess(async () => {
        const { planCommand, PLAN_INPUT_ERRORS } = await import("../../cli/plan");
        return { command: planCommand, inputErrors: PLAN_INPUT_ERRORS };
    }, args);
}

/** `npm run diff -- args`, in this process (each side is still planned in its own process). */
export function runDiffInProcess(args: readonly string[]): Promise<CliResult> {
    return runInProcess(async () => {
        const { diffCommand, DIFF_INPUT_ERRORS } = await import("../../cli/diff");
        return { command: diffCommand, inputErrors: DIFF_INPUT_ERRORS };
    }, args);
}
