/**
 * `npm run review -- --firewall-logs FILE... --cluster DUMP [--flows FILE] [--stack NAME | --config FILE]
 *  [--format text|json|md] [--write-patch FILE] [--min-span DAYS]`
 * ADR 008's quarterly review: proposes removing the intent entries that the evidence (Azure Firewall logs, a
 * cluster dump) shows nobody used, and nothing else; checks the patch (plans with PASS, the security diff only
 * closes) before it writes it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectConfigValues, readStackConfig } from "../core/config";
import { DEFAULT_MIN_SPAN_DAYS, LogInputError, parseFirewallLog, parseGoldmaneFlows, readClusterInventory, reviewText, targetText, type Review } from "../core/evidence";
import { InputError } from "../reach";
import { checkRemovals, reviewStack, type PlannedStack, type RemovalCheck } from "../offline/edit";
import { formatSecurityDiff, securityDiff } from "../offline/report";
import { parseStackFile, stackFilePath, StackFileError } from "../offline/runtime";
import { checkStackName, parseFlags, UsageError } from "./failure";
import { CommandOutput, progress, runAsProcess } from "./command";
import { planStackJson, PlanProcessError } from "./planProcess";

const USAGE = "usage: npm run review -- --firewall-logs FILE... --cluster DUMP [--flows FILE] [--stack NAME | --config FILE] [--format text|json|md] [--write-patch FILE] [--min-span DAYS]";

/** A file named on the command line cannot be read, or the stack has nothing to review. */
class ReviewInputError extends Error {}

interface Options {
    readonly firewallLogs: readonly string[];
    readonly cluster: string;
    /** A Goldmane flow export (self-managed Calico), for the east-west flows. */
    readonly flows?: string;
    readonly stack: string;
    readonly config?: string;
    readonly format: "text" | "json" | "md";
    readonly writePatch?: string;
    readonly minSpanDays: number;
}

/** Runs review; returns the exit code. */
export async function reviewCommand(argv: string[], output: CommandOutput): Promise<number> {
    const options = parseOptions(argv);
    const stackFile = options.config ? path.resolve(options.config) : stackFilePath(process.cwd(), options.stack);
    const stackText = readText(stackFile, "stack file");
    const config = readStackConfig(projectConfigValues(parseStackFile(stackText, stackFile)), options.stack);
    if (!config.segmentation) throw new ReviewInputError(`${stackFile} declares no aks-zero-trust:segmentation: there is no intent to review`);

    // Every input is read before anything is planned or written: a bad row stops the review here.
    const firewallRows = options.firewallLogs.flatMap((file) => parseFirewallLog(readText(file, "firewall log"), file));
    const cluster = readClusterInventory(readText(options.cluster, "cluster dump"), options.cluster);
    const flows = options.flows ? parseGoldmaneFlows(readText(options.flows, "flow log"), options.flows) : undefined;
    const flowEvidence = flows ? { allowed: flows.allowed, windows: [...flows.records, ...flows.allowed] } : undefined;
    const review = reviewStack(config, firewallRows, cluster, options.minSpanDays, flowEvidence);

    progress(output, `checking the removal of ${review.removals.length} entr${review.removals.length === 1 ? "y" : "ies"} (two offline plans)...`);
    const check = await checkRemovals(stackText, stackFile, options.stack, review.removals, (text) => planStackText(text, options.stack));
    progress(output, "");

    const header = [
        `Quarterly review of stack ${options.stack} (${path.relative(process.cwd(), stackFile) || stackFile})`,
        `Firewall logs: ${options.firewallLogs.join(", ")};${options.flows ? ` flow logs ${options.flows};` : ""} cluster dump ${options.cluster} (${cluster.namespaces ? `${cluster.namespaces.size} namespaces, ` : ""}${cluster.podCount} pods)`,
    ];
    if (options.format === "json") {
        output.out(`${JSON.stringify(reviewJson(review, check), null, 2)}\n`);
    } else if (options.format === "md") {
        output.out(reviewMarkdown(review, check, options.stack, header));
    } else {
        output.out(`${reviewText(review, header)}\n${checkLines(review, check).join("\n")}\n`);
    }
    if (options.writePatch) {
        if (!check.accepted) {
            output.err(`wrote nothing to ${options.writePatch}: ${review.removals.length === 0 ? "nothing to remove" : "the patch failed its checks"}\n`);
            return review.removals.length === 0 ? 0 : 1;
        }
        fs.writeFileSync(path.resolve(options.writePatch), check.patchedText);
        output.err(`wrote ${review.removals.length} removal(s) to ${options.writePatch}\n`);
    }
    return review.removals.length > 0 && !check.accepted ? 1 : 0;
}

function checkLines(review: Review, check: RemovalCheck): string[] {
    if (review.removals.length === 0) return ["Nothing to remove."];
    if (!check.accepted) return ["The patch that removes them FAILS its checks; nothing is written:", ...check.problems.map((problem) => `  ${problem}`)];
    return [`The patch that removes them plans with PASS and its security diff only closes.`, ...budgetLines(check)];
}

/** Policies per namespace and global policies, before and after the patch (ADR 008's budgets). */
function budgetLines(check: RemovalCheck): string[] {
    const before = check.before.security;
    const after = check.after?.security ?? before;
    const namespaces = [...new Set([...before.policySets, ...after.policySets].map((row) => row.namespace))].sort();
    const count = (rows: typeof before.policySets, namespace: string) => rows.find((row) => row.namespace === namespace)?.policies;
    return [
        "Policy budget (ADR 008: under 10 per namespace, 20 global):",
        ...namespaces.map((namespace) => `  ${namespace}: ${count(before.policySets, namespace) ?? "-"} -> ${count(after.policySets, namespace) ?? "-"} of ${before.policySets[0]?.budget ?? 10}`),
        `  global: ${before.globalPolicies.count} -> ${after.globalPolicies.count} of ${before.globalPolicies.budget}`,
    ];
}

/** The Markdown for the quarterly review's pull request. */
function reviewMarkdown(review: Review, check: RemovalCheck, stack: string, header: readonly string[]): string {
    const lines = [`### Quarterly review: ${stack}`, "", ...header.map((line) => `${line}  `), ""];
    for (const span of review.spans) lines.push(`- \`${span.table}\`: ${span.rows} row(s) covering ${span.days} days (${span.from.slice(0, 10)} to ${span.to.slice(0, 10)})`);
    if (review.spans.length === 0) lines.push(`- no firewall log rows of policy \`${review.firewallPolicy}\``);
    if (review.flowSpan) lines.push(`- flow logs: ${review.flowSpan.flows} flow(s) covering ${review.flowSpan.days} days (${review.flowSpan.from.slice(0, 10)} to ${review.flowSpan.to.slice(0, 10)})`);
    lines.push(`- minimum span to call an allowance unused: ${review.minSpanDays} days`, "");
    if (review.removals.length === 0) {
        lines.push("**Nothing to remove.**", "");
    } else if (check.accepted) {
        lines.push(`**Removes ${review.removals.length} entr${review.removals.length === 1 ? "y" : "ies"}; the patched stack plans with PASS and its security diff only closes.**`, "");
    } else {
        lines.push(`**The patch FAILS its checks; nothing is written:**`, "", ...check.problems.map((problem) => `- ${problem}`), "");
    }
    lines.push(`#### Proposed removals (${review.removals.length})`, "");
    if (review.removals.length > 0) {
        lines.push("| Remove | Evidence | Confidence |", "| --- | --- | --- |");
        for (const removal of review.removals) {
            const also = removal.dependents.length > 0 ? `<br>with ${removal.dependents.map(targetText).join(", ")}` : "";
            lines.push(`| ${cell(targetText(removal.target))}${also} | ${cell(removal.evidence)} | ${removal.confidence} |`);
        }
        lines.push("");
    } else {
        lines.push("_none_", "");
    }
    const before = check.before.security;
    const after = check.after?.security ?? before;
    lines.push("#### Policy budget", "", "| Namespace | Before | After | Budget |", "| --- | --- | --- | --- |");
    for (const namespace of [...new Set([...before.policySets, ...after.policySets].map((row) => row.namespace))].sort()) {
        const count = (rows: typeof before.policySets) => rows.find((row) => row.namespace === namespace)?.policies ?? "-";
        lines.push(`| ${namespace} | ${count(before.policySets)} | ${count(after.policySets)} | ${before.policySets[0]?.budget ?? 10} |`);
    }
    lines.push(`| _global policies_ | ${before.globalPolicies.count} | ${after.globalPolicies.count} | ${before.globalPolicies.budget} |`, "");
    lines.push(`<details><summary>Kept (${review.kept.length})</summary>`, "");
    for (const entry of review.kept) lines.push(`- ${cell(targetText(entry.target))}: **${entry.verdict}**: ${cell(entry.reason)}`);
    lines.push("", "</details>", "");
    if (check.after) {
        const side = (plan: PlannedStack) => ({ ...plan.security, policies: plan.policies });
        lines.push(formatSecurityDiff(securityDiff(side(check.before), side(check.after)), stack, "md").trimEnd(), "");
    }
    return `${lines.join("\n")}\n`;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

function reviewJson(review: Review, check: RemovalCheck) {
    return {
        spans: review.spans,
        ...(review.flowSpan ? { flowSpan: review.flowSpan } : {}),
        minSpanDays: review.minSpanDays,
        firewallPolicy: review.firewallPolicy,
        otherPolicyRows: review.otherPolicyRows,
        removals: review.removals.map((removal) => ({ ...removal, text: targetText(removal.target), dependents: removal.dependents.map((target) => ({ ...target, text: targetText(target) })) })),
        kept: review.kept.map((entry) => ({ ...entry, text: targetText(entry.target) })),
        patch: {
            accepted: check.accepted,
            problems: check.problems,
            budget: {
                before: { namespaces: check.before.security.policySets, global: check.before.security.globalPolicies },
                after: check.after ? { namespaces: check.after.security.policySets, global: check.after.security.globalPolicies } : undefined,
            },
        },
    };
}

/** Plans a stack text in its own process (Pulumi's runtime runs one program per process), as `npm run diff` does. */
async function planStackText(text: string, stack: string): Promise<PlannedStack> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
    const file = path.join(scratch, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, text);
    try {
        const plan = await planStackJson(stack, file, "the stack with the removals applied");
        if (!plan.policies) throw new PlanProcessError("the plan carries no policy pack results");
        return { policies: plan.policies, security: plan.security };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

function readText(file: string, what: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        throw new ReviewInputError(`cannot read ${what} ${file}`);
    }
}

/** `--firewall-logs a.json b.json`: the values after the flag, up to the next flag, each as its own value. */
function expandFileLists(argv: readonly string[], flag: string): string[] {
    const expanded: string[] = [];
    let inList = false;
    for (const arg of argv) {
        if (arg === flag) {
            inList = true;
            continue;
        }
        if (arg.startsWith("-")) inList = false;
        expanded.push(...(inList ? [flag, arg] : [arg]));
    }
    return expanded;
}

function parseOptions(argv: string[]): Options {
    const values = parseFlags(expandFileLists(argv, "--firewall-logs"), {
        "firewall-logs": { type: "string", multiple: true },
        cluster: { type: "string" },
        flows: { type: "string" },
        stack: { type: "string", default: "dev" },
        config: { type: "string" },
        format: { type: "string", default: "text" },
        "write-patch": { type: "string" },
        "min-span": { type: "string", default: String(DEFAULT_MIN_SPAN_DAYS) },
    }, USAGE);
    const logs = values["firewall-logs"] ?? [];
    if (logs.length === 0) throw new UsageError(`--firewall-logs is required (the AZFWApplicationRule and AZFWNetworkRule exports)\n${USAGE}`);
    if (!values.cluster) throw new UsageError(`--cluster is required\n${USAGE}`);
    if (!["text", "json", "md"].includes(values.format)) throw new UsageError(`--format must be text, json or md, got "${values.format}"\n${USAGE}`);
    if (!/^\d+$/.test(values["min-span"]) || Number(values["min-span"]) < 1) throw new UsageError(`--min-span must be a whole number of days, 1 or more, got "${values["min-span"]}"\n${USAGE}`);
    return {
        firewallLogs: logs,
        cluster: values.cluster,
        ...(values.flows ? { flows: values.flows } : {}),
        stack: checkStackName(values.stack),
        ...(values.config ? { config: values.config } : {}),
        format: values.format as Options["format"],
        ...(values["write-patch"] ? { writePatch: values["write-patch"] } : {}),
        minSpanDays: Number(values["min-span"]),
    };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const REVIEW_INPUT_ERRORS = [ReviewInputError, LogInputError, InputError, StackFileError, PlanProcessError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(reviewCommand, REVIEW_INPUT_ERRORS);
}
