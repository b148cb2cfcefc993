/**
 * `npm run suggest -- --logs FILE [--cluster DUMP] [--stack dev | --config FILE] [--since TIME] [--logs-format F]
 *  [--log-prefix P] [--write-patch FILE] [--format text|md|json]`
 * Turns Calico denied-flow records from audit mode (kernel log lines with a cluster dump, or a Goldmane flow export
 * with its staged-policy verdicts, self-managed Calico) into proposed intent changes, each checked against the stack's
 * guardrails (config validation, the policy pack's mandatory policies, the intent check) before it is offered.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readClusterAddresses } from "../core/evidence";
import { LOG_FORMATS, LogInputError, parseDeniedFlowLog, type LogFormat } from "../core/evidence";
import { endpointText, observeFlows, proposalKey, proposalsOf, proposalText, recordsSince, suggestionText, summariseNamespaces, type GuardrailVerdicts, type NamespaceSummary } from "../core/evidence";
import { looksLikeGoldmaneExport, observeGoldmaneFlows, parseGoldmaneFlows, type ObservedFlow } from "../core/evidence";
import type { SegmentationIntent } from "../core/intent";
import { InputError } from "../reach";
import { formatSecurityDiff, securityDiff } from "../offline/report";
import { parseStack, stackConfigOf, stackFilePath, stacksIn, StackFileError } from "../offline/runtime";
import { checkProposals, type PlannedStack } from "../offline/edit";
import { checkStackName, UsageError } from "./common/failure";
import { CommandOutput, progress, runAsProcess } from "./common/command";
import { CommandContext, commandLineMistake, CommandSpec, fitToWidth, parseCommandLine, processContext } from "./common/commandLine";
import { planStackJson, PlanProcessError } from "./common/planProcess";

/** suggest's command line: its options, help and examples. */
export const SUGGEST: CommandSpec = {
    name: "suggest",
    summary: "from audit-mode denied-flow logs to proposed intent changes, each checked against the guardrails",
    description:
        "Reads Calico's denied-flow log lines (calico-packet, from the iptables or nftables dataplane, or the Log Analytics " +
        "JSON of the runbook's Syslog query) with a kubectl dump of namespaces, pods and services, or a Goldmane flow export " +
        "(self-managed Calico, no dump needed); maps the flows to workloads and proposes flows and egress CIDRs, each checked " +
        "against config validation, the policy pack's mandatory policies and the intent check (offline plans).",
    options: [
        { name: "logs", value: "FILE", required: true, description: "the denied-flow log: kernel log lines, a Log Analytics JSON export or a Goldmane flow export", example: "--logs examples/kern.log" },
        { name: "cluster", value: "DUMP", description: "kubectl get namespaces,pods,services -A -o json, saved while the logs were written (required for kernel log lines)", example: "--cluster examples/cluster.json" },
        { name: "stack", value: "NAME", default: "dev", description: "the stack whose intent the proposals change (Pulumi.NAME.yaml)", example: "--stack prod" },
        { name: "config", value: "FILE", description: "a stack file other than Pulumi.NAME.yaml", example: "--config examples/my-stack.yaml" },
        { name: "since", value: "TIME", description: "only records at or after this ISO 8601 time (the deployment of the last intent change)", example: "--since 2026-12-01T08:00:00Z" },
        { name: "logs-format", value: "FORMAT", choices: ["auto", ...LOG_FORMATS, "goldmane"], default: "auto", description: "the log's format; auto tells them apart", example: "--logs-format nftables" },
        { name: "log-prefix", value: "PREFIX", description: "the log prefix Calico was configured with (default calico-packet)", example: "--log-prefix calico-packet" },
        { name: "write-patch", value: "FILE", description: "write the stack file with the accepted proposals applied to FILE (it may be the stack file itself)", example: "--write-patch /tmp/Pulumi.dev.yaml" },
        { name: "format", value: "FORMAT", choices: ["text", "md", "json"], default: "text", description: "text for people, md for a pull request (with the security diff), json for tools", example: "--format json" },
    ],
    examples: [
        "--logs examples/kern.log --cluster examples/cluster.json --stack dev",
        "--logs examples/syslog.json --cluster examples/cluster.json --format md",
        "--logs examples/kern.log --cluster examples/cluster.json --format json",
    ],
};

/** A file named on the command line cannot be read, or the stack has nothing to suggest against. */
class SuggestInputError extends Error {}

interface Options {
    readonly logs: string;
    /** The cluster dump: required for kernel log records, not for Goldmane flows. */
    readonly cluster?: string;
    readonly stack: string;
    readonly config?: string;
    readonly since?: string;
    readonly logsFormat?: LogFormat | "goldmane";
    readonly logPrefix?: string;
    readonly writePatch?: string;
    readonly format: "text" | "md" | "json";
}

/** Runs suggest; returns the exit code (see EXIT_CODES). */
export async function suggestCommand(argv: string[], output: CommandOutput, context: CommandContext = processContext()): Promise<number> {
    const options = parseOptions(argv, output, context);
    if (!options) return 0;
    const stackFile = options.config ? path.resolve(options.config) : stackFilePath(process.cwd(), options.stack);
    if (!options.config && !fs.existsSync(stackFile)) {
        throw new SuggestInputError(`no stack file ${path.basename(stackFile)}: stacks here: ${stacksIn(process.cwd()).join(", ") || "none"} (or --config FILE)`);
    }
    const stackText = readText(stackFile, "stack file");
    const config = stackConfigOf(parseStack(stackText, stackFile), options.stack);
    const intent = config.segmentation;
    if (!intent) throw new SuggestInputError(`${stackFile} declares no aks-zero-trust:segmentation: there is no intent to suggest changes to`);

    const logText = readText(options.logs, "log file");
    const goldmane = options.logsFormat === "goldmane" || (options.logsFormat === undefined && looksLikeGoldmaneExport(logText));
    const evidence = goldmane ? goldmaneEvidence(logText, options, intent) : kernelLogEvidence(logText, options, intent, context);
    const flows = evidence.flows;
    const proposals = proposalsOf(flows);

    progress(output, `checking ${proposals.length} proposal(s) against the guardrails (one offline plan each)...`);
    const result = await checkProposals(stackText, stackFile, options.stack, proposals, (text) => planStackText(text, options.stack));
    progress(output, "");

    const header = [
        evidence.header,
        `${options.cluster ? `Cluster dump ${options.cluster}; s` : "S"}tack ${options.stack} (${path.relative(process.cwd(), stackFile) || stackFile})`,
    ];
    const summaries = summariseNamespaces(flows, intent, result.verdicts);
    const text = suggestionText(summaries, result.verdicts, header);
    if (options.format === "md") {
        // Both sides with their policy pack results, so that the verdict judges the pack as `npm run diff` does.
        const side = (plan: PlannedStack) => ({ ...plan.security, policies: plan.policies });
        const diff = securityDiff(side(result.before), side(result.after ?? result.before));
        const accepted = result.accepted.map((proposal) => `- ${proposalText(proposal)}`);
        output.out([
            formatSecurityDiff(diff, options.stack, "md").trimEnd(),
            "",
            `#### Proposed from denied-flow logs (${accepted.length})`,
            "",
            ...(accepted.length > 0 ? accepted : ["_none_"]),
            "",
            "<details><summary>Every flow in the window</summary>",
            "",
            "```",
            text.trimEnd(),
            "```",
            "",
            "</details>",
            "",
        ].join("\n"));
    } else if (options.format === "json") {
        const input = { stack: options.stack, stackFile: path.relative(process.cwd(), stackFile) || stackFile, logs: options.logs, evidence: evidence.header, cluster: options.cluster, since: options.since };
        output.out(`${JSON.stringify(suggestionJson(summaries, result.verdicts, input, result.accepted.map(proposalText)), null, 2)}\n`);
    } else {
        output.out(fitToWidth(text));
    }
    if (options.writePatch) {
        fs.writeFileSync(path.resolve(options.writePatch), result.acceptedText);
        output.err(`wrote ${result.accepted.length} accepted proposal(s) to ${options.writePatch}\n`);
    }
    return 0;
}

/** Kernel log records (iptables, nftables, Log Analytics), placed on workloads through the cluster dump. */
function kernelLogEvidence(text: string, options: Options, intent: SegmentationIntent, context: CommandContext): { flows: ObservedFlow[]; header: string } {
    if (!options.cluster) throw commandLineMistake(SUGGEST, context, "--cluster is required for kernel log records (they carry addresses only), e.g. --cluster examples/cluster.json");
    const log = parseDeniedFlowLog(text, options.logs, { format: options.logsFormat === "goldmane" ? undefined : options.logsFormat, prefix: options.logPrefix });
    const cluster = readClusterAddresses(readText(options.cluster, "cluster dump"), options.cluster);
    const records = recordsSince(log.records, options.since);
    return {
        flows: observeFlows(records, cluster, intent),
        header: `Denied-flow log ${options.logs}: ${log.format} format, ${log.records.length} record(s)${options.since ? `, ${records.length} since ${options.since}` : ""}${log.skippedIpv6 > 0 ? `, ${log.skippedIpv6} IPv6 record(s) skipped (the intent is IPv4)` : ""}`,
    };
}

/** Goldmane flows (self-managed Calico): denied and staged-denied ones, named by workload labels (no dump needed). */
function goldmaneEvidence(text: string, options: Options, intent: SegmentationIntent): { flows: ObservedFlow[]; header: string } {
    const log = parseGoldmaneFlows(text, options.logs);
    const since = options.since ? new Date(options.since).getTime() : undefined;
    const records = since === undefined ? log.records : log.records.filter((record) => record.endTime !== undefined && new Date(record.endTime).getTime() >= since);
    const staged = records.filter((record) => record.verdict === "staged-denied").length;
    return {
        flows: observeGoldmaneFlows(records, intent),
        header: `Goldmane flow export ${options.logs}: ${log.flowCount} flow(s), ${records.length - staged} denied, ${staged} denied only by staged policies${options.since ? ` (since ${options.since})` : ""}`,
    };
}

/** Plans a stack text in its own process (Pulumi's runtime runs one program per process), as `npm run diff` does. */
async function planStackText(text: string, stack: string): Promise<PlannedStack> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "suggest-"));
    const file = path.join(scratch, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, text);
    try {
        const plan = await planStackJson(stack, file, "the stack with the proposals applied");
        // The plan always runs the policy pack (offline/runtime/policyCheck.ts); a plan without results is not one to judge by.
        if (!plan.policies) throw new PlanProcessError(`the plan of the stack with the proposals applied carries no policy pack results`);
        return { policies: plan.policies, security: plan.security };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

function readText(file: string, what: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        throw new SuggestInputError(`cannot read ${what} ${file}`);
    }
}


/** The report as data: every flow once, with what became of it, and each namespace's verdict. */
function suggestionJson(summaries: readonly NamespaceSummary[], verdicts: GuardrailVerdicts, input: Record<string, string | undefined>, accepted: readonly string[]) {
    const flows = new Map(summaries.flatMap((summary) => summary.flows.map((flow) => [flow.key, flow] as const)));
    return {
        input,
        namespaces: summaries.map(({ flows: list, ...summary }) => ({ ...summary, flows: list.map((flow) => flow.key) })),
        flows: [...flows.values()].map((flow) => ({
            key: flow.key,
            source: endpointText(flow.source),
            destination: endpointText(flow.destination),
            protocol: flow.protocol,
            port: flow.port,
            count: flow.count,
            firstSeen: flow.firstSeen,
            lastSeen: flow.lastSeen,
            nodes: flow.nodes,
            firstAt: flow.firstAt,
            notes: flow.notes,
            outcome: flow.outcome.kind,
            ...(flow.outcome.kind === "proposal" ? { proposal: proposalText(flow.outcome.proposal), refusedBy: verdicts.get(proposalKey(flow.outcome.proposal)) ?? [] } : {}),
            ...(flow.outcome.kind === "unknown" || flow.outcome.kind === "review" ? { reason: flow.outcome.reason } : {}),
        })),
        accepted,
    };
}

/** The options, or undefined when --help was printed. */
function parseOptions(argv: string[], output: CommandOutput, context: CommandContext): Options | undefined {
    const parsed = parseCommandLine(SUGGEST, argv, context, output.out);
    if (!parsed) return undefined;
    const values = parsed.values as Record<string, string | undefined>;
    const logsFormat = values["logs-format"]!;
    if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(values.since)) {
        throw new UsageError(`--since must be an ISO 8601 time such as 2026-12-01T08:00:00Z, got "${values.since}"`);
    }
    return {
        logs: values.logs!,
        ...(values.cluster ? { cluster: values.cluster } : {}),
        stack: checkStackName(values.stack!),
        ...(values.config ? { config: values.config } : {}),
        ...(values.since ? { since: values.since } : {}),
        ...(logsFormat !== "auto" ? { logsFormat: logsFormat as LogFormat | "goldmane" } : {}),
        ...(values["log-prefix"] ? { logPrefix: values["log-prefix"] } : {}),
        ...(values["write-patch"] ? { writePatch: values["write-patch"] } : {}),
        format: values.format as Options["format"],
    };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const SUGGEST_INPUT_ERRORS = [SuggestInputError, LogInputError, InputError, StackFileError, PlanProcessError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(suggestCommand, SUGGEST_INPUT_ERRORS);
}
