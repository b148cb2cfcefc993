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
import { formatSecurityDiff, PlanSecurityJson, securityDiff, type SecurityDiff } from "../offline/report";
import { formatKubernetesUpgrade, kubernetesUpgrade, type ClusterLifecycle, type KubernetesUpgrade } from "../offline/report";
import { stackFilePath, stacksIn } from "../offline/runtime";
import { checkStackName, checkToday } from "./common/failure";
import { CommandOutput, runAsProcess } from "./common/command";
import { CommandContext, CommandSpec, fitToWidth, parseCommandLine, processContext } from "./common/commandLine";
import { planStackJson, PlanProcessError } from "./common/planProcess";

/** The security diff's command line: its options, help and examples. */
export const DIFF: CommandSpec = {
    name: "diff",
    summary: "the security diff between the stack's config at a git revision and the working tree, for pull requests",
    description:
        "Plans the stack's config at --base and in the working tree, both offline, and prints what the change does to the " +
        "boundary: policy pack and intent check verdicts, connections opened and closed (grouped by what they cross), firewall " +
        "FQDNs and rules, policy budgets, and a change of the Kubernetes version (an upgrade explained; a skipped minor or a " +
        "downgrade blocked). --format md is the pull-request comment.",
    options: [
        { name: "base", value: "GIT_REF", required: true, description: "the git revision to compare the working tree against", example: "--base origin/main" },
        { name: "stack", value: "NAME", default: "dev", description: "the stack whose config (Pulumi.NAME.yaml) is compared", example: "--stack prod" },
        { name: "format", value: "FORMAT", choices: ["text", "md", "json"], default: "text", description: "text for a terminal, md for a pull-request comment, json for tools", example: "--format md" },
        { name: "fail-on", value: "LEVEL", choices: ["mandatory"], description: "after printing, exit 1 when the change introduces a mandatory policy or intent-check violation, or a version change AKS refuses", example: "--fail-on mandatory" },
        { name: "policy-pack-config", value: "FILE", description: "evaluate both sides under this policy pack config", example: "--policy-pack-config policy-pack/policy-config.dev.json" },
        { name: "today", value: "YYYY-MM-DD", description: "judge Kubernetes version support on this day (default: SOURCE_DATE_EPOCH, else the clock)", example: "--today 2027-05-16" },
    ],
    examples: [
        "--base origin/main --stack dev            # +/- lines by group",
        "--base HEAD~1 --stack prod --format md    # Markdown for a PR comment",
        "--base origin/main --fail-on mandatory    # exit 1 (after printing) on a new mandatory or intent-check violation",
        "--base origin/main --stack prod --today 2027-05-16   # judged on another day",
    ],
};
/** Stack files and git history are read from the working directory (npm runs scripts from the project root). */
const WORK_DIR = process.cwd();

/** A side of the diff could not be planned; the message says which and why. */
class DiffInputError extends Error {}

/** Runs the security diff; returns the exit code (see EXIT_CODES). */
export async function diffCommand(argv: string[], output: CommandOutput, context: CommandContext = processContext()): Promise<number> {
    const options = parseOptions(argv, output, context);
    if (!options) return 0;
    if (!fs.existsSync(stackFilePath(WORK_DIR, options.stack))) {
        throw new DiffInputError(`no stack file Pulumi.${options.stack}.yaml in ${WORK_DIR}: stacks here: ${stacksIn(WORK_DIR).join(", ") || "none"}`);
    }
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
    ])
        .catch((error: unknown) => {
            // A pull-request comment shows why there is no diff (an invalid stack file), not an empty section.
            if (options.format === "md" && error instanceof PlanProcessError) {
                output.out(`### Security diff: \`${options.stack}\`\n\n**cannot compute the diff:**\n\n\`\`\`\n${error.message}\n\`\`\`\n`);
            }
            throw error;
        })
        .finally(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const diff = securityDiff((before ?? after).security, after.security);
    // A change of cluster.kubernetesVersion, explained (or blocked) in its own section after the security diff.
    const upgrade = kubernetesUpgrade((before ?? after).lifecycle, after.lifecycle);
    output.out(securityDiffOutput(diff, options.stack, options.format, upgrade));
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

/** The diff as the command prints it: text keeps to 120 columns; Markdown and JSON are read by programs, which wrap for themselves. */
export function securityDiffOutput(diff: SecurityDiff, stack: string, format: "text" | "md" | "json", upgrade?: KubernetesUpgrade): string {
    if (format === "json") return `${JSON.stringify(upgrade ? { ...diff, kubernetesUpgrade: upgrade } : diff, null, 2)}\n`;
    const text = formatSecurityDiff(diff, stack, format) + (upgrade ? `\n${formatKubernetesUpgrade(upgrade, format)}` : "");
    return format === "text" ? fitToWidth(text) : text;
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

/** The options, or undefined when --help was printed. */
function parseOptions(argv: string[], output: CommandOutput, context: CommandContext): { base: string; stack: string; format: "text" | "md" | "json"; failOn?: "mandatory"; policyPackConfig?: string; today?: string } | undefined {
    const parsed = parseCommandLine(DIFF, argv, context, output.out);
    if (!parsed) return undefined;
    const values = parsed.values as Record<string, string | undefined>;
    const failOn = values["fail-on"] as "mandatory" | undefined;
    const policyPackConfig = values["policy-pack-config"];
    checkToday(values.today);
    return { base: values.base!, stack: checkStackName(values.stack!), format: values.format as "text" | "md" | "json", ...(failOn ? { failOn } : {}), ...(policyPackConfig ? { policyPackConfig } : {}), ...(values.today ? { today: values.today } : {}) };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const DIFF_INPUT_ERRORS = [DiffInputError, PlanProcessError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(diffCommand, DIFF_INPUT_ERRORS);
}
