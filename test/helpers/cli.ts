import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "./stack";

/** Result of running one of the project's command-line tools. */
export interface CliResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `tsx <script> args...` from the project folder, as `npm run` would. */
export function runCli(script: string, args: readonly string[], cwd = PROJECT_DIR): CliResult {
    const tsx = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
    const result = spawnSync(tsx, [path.join(PROJECT_DIR, script), ...args], { cwd, encoding: "utf8", timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
