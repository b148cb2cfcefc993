/**
 * `npm run diff -- --base GIT_REF [--stack dev] [--format text|md|json]`
 * The security diff between the stack's config at GIT_REF and the working tree: connections opened and
 * closed, firewall FQDNs and rules, policy budgets, intent check. Offline: both sides run under mocks.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatSecurityDiff, PlanSecurityJson, securityDiff } from "../offline/securityDiff";
import { stackFilePath } from "../offline/stackFile";
import { checkStackName, parseFlags, UsageError } from "./failure";
import { CommandOutput, runAsProcess } from "./command";

const USAGE = "usage: npm run diff -- --base GIT_REF [--stack NAME] [--format text|md|json]";
const PROJECT_DIR = path.resolve(__dirname, "..");
/** Stack files and git history are read from the working directory (npm runs scripts from the project root). */
const WORK_DIR = process.cwd();

/** A side of the diff could not be planned; the message says which and why. */
class DiffInputError extends Error {}

/** Runs the security diff; returns the exit code. */
export function diffCommand(argv: string[], output: CommandOutput): number {
    const options = parseOptions(argv);
    const relativeStackFile = path.relative(gitRoot(), stackFilePath(WORK_DIR, options.stack)).split(path.sep).join("/");
    const baseText = gitShow(options.base, relativeStackFile);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "security-diff-"));
    const baseFile = path.join(scratch, `Pulumi.${options.stack}.base.yaml`);
    fs.writeFileSync(baseFile, baseText);
    const before = planSecurity(options.stack, baseFile, `${relativeStackFile} at ${options.base}`);
    const after = planSecurity(options.stack, stackFilePath(WORK_DIR, options.stack), `${relativeStackFile} in the working tree`);
    fs.rmSync(scratch, { recursive: true, force: true });
    const diff = securityDiff(before, after);
    output.out(options.format === "json" ? `${JSON.stringify(diff, null, 2)}\n` : formatSecurityDiff(diff, options.stack, options.format));
    return 0;
}

function planSecurity(stack: string, configFile: string, label: string): PlanSecurityJson {
    const tsx = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
    // Each side runs in its own process: Pulumi's runtime state is global.
    const result = spawnSync(tsx, [path.join(PROJECT_DIR, "cli", "plan.ts"), "--stack", stack, "--config", configFile, "--format", "json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (!result.stdout.trim()) {
        throw new DiffInputError(`cannot plan ${label}:\n${result.stderr.trim()}`);
    }
    return (JSON.parse(result.stdout) as { security: PlanSecurityJson }).security;
}

function gitRoot(): string {
    try {
        return execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: WORK_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    } catch {
        throw new DiffInputError(`${WORK_DIR} is not inside a git repository`);
    }
}

function gitShow(ref: string, file: string): string {
    try {
        return execFileSync("git", ["show", `${ref}:${file}`], { cwd: WORK_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        const reason = String((error as { stderr?: string }).stderr ?? "").trim().split("\n")[0];
        throw new DiffInputError(`cannot read ${file} at ${ref}: ${reason || "unknown revision or path"}`);
    }
}

function parseOptions(argv: string[]): { base: string; stack: string; format: "text" | "md" | "json" } {
    const values = parseFlags(argv, { base: { type: "string" }, stack: { type: "string", default: "dev" }, format: { type: "string", default: "text" } }, USAGE);
    if (!values.base) throw new UsageError(`--base is required\n${USAGE}`);
    if (values.format !== "text" && values.format !== "md" && values.format !== "json") throw new UsageError(`--format must be text, md or json, got "${values.format}"\n${USAGE}`);
    return { base: values.base, stack: checkStackName(values.stack), format: values.format };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const DIFF_INPUT_ERRORS = [DiffInputError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(diffCommand, DIFF_INPUT_ERRORS);
}
