import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { vi } from "vitest";
import { Command, runCommand } from "../../cli/command";
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
 * Runs a command in this process with captured output: what `runCli` checks, without a process and a TypeScript
 * load per call. The program under mocks (index.ts) runs when it is imported, so the module registry is reset
 * first; Pulumi's runtime itself is re-armed by every run (setMocks).
 */
export async function runInProcess(command: Command, args: readonly string[], inputErrors: ReadonlyArray<new (...args: any[]) => Error> = []): Promise<CliResult> {
    vi.resetModules();
    let stdout = "";
    let stderr = "";
    const status = await runCommand(command, [...args], { out: (text) => { stdout += text; }, err: (text) => { stderr += text; }, errIsTerminal: false }, inputErrors);
    return { status, stdout, stderr };
}
