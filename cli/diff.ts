/**
 * `npm run diff -- --base GIT_REF [--stack dev] [--format text|md|json] [--fail-on mandatory] [--policy-pack-config FILE] [--today YYYY-MM-DD]`
 * The security diff between the stack's config at GIT_REF and the working tree: policy pack and intent check
 * verdicts of both sides, connections opened and closed grouped by what they cross (with a Mermaid picture in
 * Markdown), firewall FQDNs and rules, policy budgets, and a change of the Kubernetes version (an upgrade explained; a
 * skipped minor or a downgrade blocked). Offline: both sides run under mocks, judged on --today (else
 * SOURCE_DATE_EPOCH, else the clock). With --fail-on mandatory, the diff is printed in full and then exits 1 when the
 * change introduces a mandatory policy violation, an intent-check violation, or a version change AKS refuses. --policy-pack-config evaluates both sides with that pack config,
 * as `npm run plan` and `pulumi preview` do.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatSecurityDiff, PlanSecurityJson, securityDiff } from "../offline/report";
import { formatKubernetesUpgrade, kubernetesUpgrade, type ClusterLifecycle } from "../offline/report";
import { stackFilePath } from "../offline/runtime";
import { checkStackName, parseFlags, UsageError } from "./failure";
import { CommandOutput, runAsProcess } from "./command";
import { planStackJson, PlanProcessError } from "./planProcess";

const USAGE = "usage: npm run diff -- --base GIT_REF [--stack NAME] [--format text|md|json] [--fail-on mandatory] [--policy-pack-config FILE] [--today YYYY-MM-DD]";
/** Stack files and git history are read from the working directory (npm runs scripts from the project root). */
const WORK_DIR = process.cwd();

/** A side of the diff could not be planned; the message says which and why. */
class DiffInputError extends Error {}

/** Runs the security diff; returns the exit code. */
export async function diffCommand(argv: string[], output: CommandOutput): Promise<number> {
    const options = parseOptions(argv);
    const relativeStackFile = path.relative(gitRoot(), stackFilePath(WORK_DIR, options.stack)).split(path.sep).join("/");
    const baseText = gitShow(options.base, relativeStackFile);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "security-diff-"));
    const baseFile = path.join(scratch, `Pulumi.${options.stack}.base.yaml`);
    fs.writeFileSync(baseFile, baseText);
    const packConfig = [
        ...(options.policyPackConfig ? ["--policy-pack-config", path.resolve(WORK_DIR, options.policyPackConfig)] : []),
        ...(options.today ? ["--today", options.today] : []),
    ];
    const headFile = stackFilePath(WORK_DIR, options.stack);
    const headLabel = `${relativeStackFile} in the working tree`;
    // Both sides run the working tree's program; only the stack file differs. An unchanged file is planned once.
    const unchanged = readText(headFile) === baseText;
    // The two sides are independent processes: plan them at the same time.
    const [before, after] = await Promise.all([
        unchanged ? undefined : planSecurity(options.stack, baseFile, packConfig, `${relativeStackFile} at ${options.base}`),
        planSecurity(options.stack, headFile, packConfig, headLabel),
    ]).finally(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const diff = securityDiff((before ?? after).security, after.security);
    // A change of cluster.kubernetesVersion, explained (or blocked) in its own section after the security diff.
    const upgrade = kubernetesUpgrade((before ?? after).lifecycle, after.lifecycle);
    if (options.format === "json") {
        output.out(`${JSON.stringify(upgrade ? { ...diff, kubernetesUpgrade: upgrade } : diff, null, 2)}\n`);
    } else {
        output.out(formatSecurityDiff(diff, options.stack, options.format) + (upgrade ? `\n${formatKubernetesUpgrade(upgrade, options.format)}` : ""));
    }
    if (options.failOn === "mandatory" && upgrade?.blocker) {
        output.err(`error: the change to stack ${options.stack} asks AKS for Kubernetes ${upgrade.from} -> ${upgrade.to}, which AKS refuses (--fail-on mandatory)\n`);
        return 1;
    }
    if (options.failOn === "mandatory" && diff.blocksMerge) {
        const policies = [...new Set(diff.policiesIntroduced.filter((finding) => finding.enforcementLevel === "mandatory").map((finding) => finding.policy))];
        const reasons = [
            ...(policies.length > 0 ? [`violations of mandatory ${policies.length === 1 ? "policy" : "policies"} ${policies.join(", ")}`] : []),
            ...(diff.newViolations.length > 0 ? [`${diff.newViolations.length} intent-check violation(s)`] : []),
        ];
        output.err(`error: the change to stack ${options.stack} introduces ${reasons.join(" and ")} (--fail-on mandatory)\n`);
        return 1;
    }
    return 0;
}

/** One side's security section and policy pack results, and its cluster lifecycle, from the plan's JSON. */
async function planSecurity(stack: string, configFile: string, packConfig: readonly string[], label: string): Promise<{ security: PlanSecurityJson; lifecycle?: ClusterLifecycle }> {
    // The plan runs the policy pack in-process (offline/runtime/policyCheck.ts) and prints its results next to the security section.
    const plan = await planStackJson(stack, configFile, label, packConfig);
    const security = { ...plan.security, ...(plan.policies ? { policies: plan.policies } : {}), ...(plan.warnings ? { warnings: plan.warnings } : {}) };
    return { security, lifecycle: plan.lifecycle };
}

/** The working tree's stack file, or undefined when it does not exist (the plan then says so). */
function readText(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
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

function parseOptions(argv: string[]): { base: string; stack: string; format: "text" | "md" | "json"; failOn?: "mandatory"; policyPackConfig?: string; today?: string } {
    const values = parseFlags(argv, {
        base: { type: "string" },
        stack: { type: "string", default: "dev" },
        format: { type: "string", default: "text" },
        "fail-on": { type: "string" },
        "policy-pack-config": { type: "string" },
        today: { type: "string" },
    }, USAGE);
    if (!values.base) throw new UsageError(`--base is required\n${USAGE}`);
    if (values.format !== "text" && values.format !== "md" && values.format !== "json") throw new UsageError(`--format must be text, md or json, got "${values.format}"\n${USAGE}`);
    const failOn = values["fail-on"];
    if (failOn !== undefined && failOn !== "mandatory") throw new UsageError(`--fail-on must be mandatory, got "${failOn}"\n${USAGE}`);
    const policyPackConfig = values["policy-pack-config"];
    return { base: values.base, stack: checkStackName(values.stack), format: values.format, ...(failOn ? { failOn } : {}), ...(policyPackConfig ? { policyPackConfig } : {}), ...(values.today ? { today: values.today } : {}) };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const DIFF_INPUT_ERRORS = [DiffInputError, PlanProcessError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(diffCommand, DIFF_INPUT_ERRORS);
}
