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
import { DEFAULT_MIN_SPAN_DAYS, LogInputError, parseFirewallLog, parseGoldmaneFlows, readClusterInventory, reviewText, targetText, type Review } from "../core/evidence";
import { InputError } from "../reach";
import { checkRemovals, reviewStack, type PlannedStack, type RemovalCheck } from "../offline/edit";
import { formatSecurityDiff, securityDiff } from "../offline/report";
import { parseStack, stackConfigOf, stackFilePath, stacksIn, StackFileError } from "../offline/runtime";
import { checkStackName } from "./common/failure";
import { CommandOutput, progress, runAsProcess } from "./common/command";
import { CommandContext, commandLineMistake, CommandSpec, fitToWidth, parseCommandLine, processContext } from "./common/commandLine";
import { planStackJson, PlanProcessError } from "./common/planProcess";

/** review's command line: its options, help and examples. */
export const REVIEW: CommandSpec = {
    name: "review",
    summary: "ADR 008's quarterly review: propose removing intent entries the firewall logs and a cluster dump show unused",
    description:
        "Reads Azure Firewall's AZFWApplicationRule and AZFWNetworkRule logs (Log Analytics JSON) and a kubectl dump, and " +
        "proposes removing the intent entries nobody used in the window (FQDNs, CIDRs, flows, workloads), each with its " +
        "evidence; keeps the rest with the reason. The patch is checked (both plans PASS, the security diff only closes) " +
        "before --write-patch writes it.",
    options: [
        { name: "firewall-logs", value: "FILE...", multiple: true, required: true, description: "the firewall log exports (AZFWApplicationRule, AZFWNetworkRule), one or more files", example: "--firewall-logs examples/review/azfw-application-rule.json examples/review/azfw-network-rule.json" },
        { name: "cluster", value: "DUMP", required: true, description: "kubectl get namespaces,pods,services -A -o json, from the end of the window", example: "--cluster examples/review/cluster.json" },
        { name: "flows", value: "FILE", description: "a Goldmane flow export (self-managed Calico), to judge the east-west flows too", example: "--flows flows.json" },
        { name: "stack", value: "NAME", default: "dev", description: "the stack whose intent is reviewed (Pulumi.NAME.yaml)", example: "--stack prod" },
        { name: "config", value: "FILE", description: "a stack file other than Pulumi.NAME.yaml", example: "--config examples/review/Pulumi.prod.yaml" },
        { name: "format", value: "FORMAT", choices: ["text", "json", "md"], default: "text", description: "text for people, json for tools, md for a pull request", example: "--format md" },
        { name: "write-patch", value: "FILE", description: "write the stack file without the unused entries to FILE, once the patch passes its checks", example: "--write-patch /tmp/Pulumi.prod.reviewed.yaml" },
        { name: "min-span", value: "DAYS", default: String(DEFAULT_MIN_SPAN_DAYS), description: "the fewest days the logs must cover before anything is proposed for removal", example: "--min-span 60" },
    ],
    examples: [
        "--stack prod --config examples/review/Pulumi.prod.yaml --cluster examples/review/cluster.json --firewall-logs examples/review/azfw-application-rule.json examples/review/azfw-network-rule.json",
    ],
};

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

/** Runs review; returns the exit code (see EXIT_CODES). */
export async function reviewCommand(argv: string[], output: CommandOutput, context: CommandContext = processContext()): Promise<number> {
    const options = parseOptions(argv, output, context);
    if (!options) return 0;
    const stackFile = options.config ? path.resolve(options.config) : stackFilePath(process.cwd(), options.stack);
    if (!options.config && !fs.existsSync(stackFile)) {
        throw new ReviewInputError(`no stack file ${path.basename(stackFile)}: stacks here: ${stacksIn(process.cwd()).join(", ") || "none"} (or --config FILE)`);
    }
    const stackText = readText(stackFile, "stack file");
    const config = stackConfigOf(parseStack(stackText, stackFile), options.stack);
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
        output.out(fitToWidth(`${reviewText(review, header)}\n${checkLines(review, check).join("\n")}\n`));
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

/** The options, or undefined when --help was printed. */
function parseOptions(argv: string[], output: CommandOutput, context: CommandContext): Options | undefined {
    const parsed = parseCommandLine(REVIEW, expandFileLists(argv, "--firewall-logs"), context, output.out);
    if (!parsed) return undefined;
    const values = parsed.values as Record<string, string | undefined> & { "firewall-logs"?: string[] };
    const minSpan = values["min-span"]!;
    if (!/^\d+$/.test(minSpan) || Number(minSpan) < 1) throw commandLineMistake(REVIEW, context, `--min-span must be a whole number of days, 1 or more, got "${minSpan}"`);
    return {
        firewallLogs: values["firewall-logs"] ?? [],
        cluster: values.cluster!,
        ...(values.flows ? { flows: values.flows } : {}),
        stack: checkStackName(values.stack!),
        ...(values.config ? { config: values.config } : {}),
        format: values.format as Options["format"],
        ...(values["write-patch"] ? { writePatch: values["write-patch"] } : {}),
        minSpanDays: Number(minSpan),
    };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const REVIEW_INPUT_ERRORS = [ReviewInputError, LogInputError, InputError, StackFileError, PlanProcessError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(reviewCommand, REVIEW_INPUT_ERRORS);
}
