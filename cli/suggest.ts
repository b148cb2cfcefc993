/**
 * `npm run suggest -- --logs FILE [--cluster DUMP] [--stack dev | --config FILE] [--since TIME] [--logs-format F]
 *  [--log-prefix P] [--write-patch FILE] [--format text|md]`
 * Turns Calico denied-flow records from audit mode (kernel log lines with a cluster dump, or a Goldmane flow export
 * with its staged-policy verdicts, self-managed Calico) into proposed intent changes, each checked against the stack's
 * guardrails (config validation, the policy pack's mandatory policies, the intent check) before it is offered.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readClusterAddresses } from "../core/evidence";
import { readStackConfig } from "../core/config";
import { LOG_FORMATS, LogInputError, parseDeniedFlowLog, type LogFormat } from "../core/evidence";
import { observeFlows, proposalsOf, proposalText, recordsSince, suggestionText, summariseNamespaces } from "../core/evidence";
import { looksLikeGoldmaneExport, observeGoldmaneFlows, parseGoldmaneFlows, type ObservedFlow } from "../core/evidence";
import type { SegmentationIntent } from "../core/intent";
import { projectConfigValues } from "../core/config";
import { InputError } from "../reach";
import { formatSecurityDiff, securityDiff } from "../offline/report";
import { parseStackFile, stackFilePath, StackFileError } from "../offline/runtime";
import { checkProposals, type PlannedStack } from "../offline/edit";
import { checkStackName, parseFlags, UsageError } from "./failure";
import { CommandOutput, progress, runAsProcess } from "./command";
import { planStackJson, PlanProcessError } from "./planProcess";

const USAGE = "usage: npm run suggest -- --logs FILE [--cluster DUMP] [--stack NAME | --config FILE] [--since TIME] [--logs-format auto|iptables|nftables|log-analytics|goldmane] [--log-prefix PREFIX] [--write-patch FILE] [--format text|md]";

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
    readonly format: "text" | "md";
}

/** Runs suggest; returns the exit code. */
export async function suggestCommand(argv: string[], output: CommandOutput): Promise<number> {
    const options = parseOptions(argv);
    const stackFile = options.config ? path.resolve(options.config) : stackFilePath(process.cwd(), options.stack);
    const stackText = readText(stackFile, "stack file");
    const config = readStackConfig(projectConfigValues(parseStackFile(stackText, stackFile)), options.stack);
    const intent = config.segmentation;
    if (!intent) throw new SuggestInputError(`${stackFile} declares no aks-zero-trust:segmentation: there is no intent to suggest changes to`);

    const logText = readText(options.logs, "log file");
    const goldmane = options.logsFormat === "goldmane" || (options.logsFormat === undefined && looksLikeGoldmaneExport(logText));
    const evidence = goldmane ? goldmaneEvidence(logText, options, intent) : kernelLogEvidence(logText, options, intent);
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
    } else {
        output.out(text);
    }
    if (options.writePatch) {
        fs.writeFileSync(path.resolve(options.writePatch), result.acceptedText);
        output.err(`wrote ${result.accepted.length} accepted proposal(s) to ${options.writePatch}\n`);
    }
    return 0;
}

/** Kernel log records (iptables, nftables, Log Analytics), placed on workloads through the cluster dump. */
function kernelLogEvidence(text: string, options: Options, intent: SegmentationIntent): { flows: ObservedFlow[]; header: string } {
    if (!options.cluster) throw new UsageError(`--cluster is required for kernel log records (they carry addresses only)\n${USAGE}`);
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


function parseOptions(argv: string[]): Options {
    const values = parseFlags(argv, {
        logs: { type: "string" },
        cluster: { type: "string" },
        stack: { type: "string", default: "dev" },
        config: { type: "string" },
        since: { type: "string" },
        "logs-format": { type: "string", default: "auto" },
        "log-prefix": { type: "string" },
        "write-patch": { type: "string" },
        format: { type: "string", default: "text" },
    }, USAGE);
    if (!values.logs) throw new UsageError(`--logs is required\n${USAGE}`);

    if (values.format !== "text" && values.format !== "md") throw new UsageError(`--format must be text or md, got "${values.format}"\n${USAGE}`);
    const logsFormat = values["logs-format"];
    if (logsFormat !== "auto" && logsFormat !== "goldmane" && !(LOG_FORMATS as readonly string[]).includes(logsFormat)) {
        throw new UsageError(`--logs-format must be auto, ${LOG_FORMATS.join(", ")}, goldmane, got "${logsFormat}"\n${USAGE}`);
    }
    if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(values.since)) {
        throw new UsageError(`--since must be an ISO 8601 time such as 2026-12-01T08:00:00Z, got "${values.since}"\n${USAGE}`);
    }
    if (values["log-prefix"] !== undefined && values["log-prefix"].trim() === "") throw new UsageError(`--log-prefix must not be empty\n${USAGE}`);
    return {
        logs: values.logs,
        ...(values.cluster ? { cluster: values.cluster } : {}),
        stack: checkStackName(values.stack),
        ...(values.config ? { config: values.config } : {}),
        ...(values.since ? { since: values.since } : {}),
        ...(logsFormat !== "auto" ? { logsFormat: logsFormat as LogFormat | "goldmane" } : {}),
        ...(values["log-prefix"] ? { logPrefix: values["log-prefix"] } : {}),
        ...(values["write-patch"] ? { writePatch: values["write-patch"] } : {}),
        format: values.format,
    };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const SUGGEST_INPUT_ERRORS = [SuggestInputError, LogInputError, InputError, StackFileError, PlanProcessError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(suggestCommand, SUGGEST_INPUT_ERRORS);
}
