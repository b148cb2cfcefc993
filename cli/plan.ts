/**
 * `npm run plan -- [--stack dev] [--config FILE] [--policy-pack-config FILE] [--format text|json|mermaid] [--out DIR]`
 * Runs the real program under Pulumi's runtime mocks and prints what the stack would create.
 * `--format mermaid` prints the connection matrix (as enforced) as a Mermaid flowchart instead.
 * With --out, also writes the Kubernetes objects it would apply (DIR/manifests) and one representative
 * Pod per declared workload (DIR/workloads), for analysis only. --policy-pack-config applies a pack config file
 * (policy-pack/policy-config.dev.json) as `pulumi preview --policy-pack-config` does.
 */
import * as path from "node:path";
import { runProgramOffline } from "../offline/runtime";
import { planJson, planText } from "../offline/report";
import { loadStackFile, stackConfigOf, stackFilePath, StackFileError } from "../offline/runtime";
import { checkStackName, checkToday } from "./common/failure";
import { CommandOutput, progress, runAsProcess, warn } from "./common/command";
import { CommandContext, CommandSpec, fitToWidth, parseCommandLine, processContext } from "./common/commandLine";
import { addressNamesFile, appliedObjects, manifestFiles, writeManifestFiles } from "../offline/runtime";
import { hostNetworkWarnings } from "../core/azure";
import { projectConfigValues } from "../core/config";
import { undeclaredFlowPortWarnings } from "../core/intent";
import { renderRepresentativeWorkloads } from "../core/policies";
import { buildSecurityReport, SecurityReport, securityReportText } from "../offline/report";
import { clusterLifecycle, clusterLifecycleText, lifecycleWarnings } from "../offline/report";
import { DayError, judgementDay } from "../core/common";
import { connectionFlowchart, Flowchart, MATRIX_GRAPH_BUDGET } from "../offline/report";
import { DATA_TIER_LABEL } from "../offline/report";
import { compileAddressNames, parseConnectionLine, presentConnections } from "../reach";
import { hasMandatoryViolations, policyResultsText, runPolicyPack } from "../offline/runtime";
import { PolicyConfigError, readPolicyPackConfigFile } from "../offline/runtime";
import { projectDir as findProjectDir } from "../offline/runtime";

/** The plan's command line: its options, help and examples. */
export const PLAN: CommandSpec = {
    name: "plan",
    summary: "run the stack's program offline under Pulumi mocks: resources, firewall rules, reachability, checks",
    description:
        "Runs the real Pulumi program (index.ts) under Pulumi's runtime mocks, with no cloud and no Pulumi CLI, and prints every " +
        "resource the stack would create, the firewall rules, the policy sets against their budget, the reachability of the " +
        "declared workloads, the policy pack's results and the intent check. Exits 1 on invalid config, a mandatory policy " +
        "violation or a failed intent check. Nothing is written unless --out is given.",
    options: [
        { name: "stack", value: "NAME", default: "dev", description: "the stack to plan: its config is Pulumi.NAME.yaml in the project folder", example: "--stack prod" },
        { name: "config", value: "FILE", description: "plan this stack file instead of Pulumi.NAME.yaml (--stack still names the stack)", example: "--config examples/my-stack.yaml" },
        { name: "policy-pack-config", value: "FILE", description: "run the policy pack under this config file, as pulumi preview --policy-pack-config does", example: "--policy-pack-config policy-pack/policy-config.dev.json" },
        { name: "format", value: "FORMAT", choices: ["text", "json", "mermaid"], default: "text", description: "text for people; json for tools; mermaid draws the connection matrix as enforced", example: "--format json" },
        { name: "out", value: "DIR", description: "also write the Kubernetes objects it would apply (DIR/manifests) and one representative pod per workload (DIR/workloads), for reach", example: "--out /tmp/p" },
        { name: "today", value: "YYYY-MM-DD", description: "judge Kubernetes version support on this day (default: SOURCE_DATE_EPOCH, else the clock)", example: "--today 2027-05-16" },
        { name: "verbose", description: "list every connection audit mode lets through today (by default, one summary line per audit namespace)", example: "--verbose" },
    ],
    examples: [
        "--stack prod                 # another stack",
        "--stack prod --format json   # JSON for tools: resources, summary, security, policy results",
        "--config examples/my-stack.yaml --stack dev   # any stack file",
        "--stack prod --out /tmp/p    # also the objects and representative pods, for npm run reach",
    ],
};

/** Runs the plan; returns the exit code (see EXIT_CODES). */
export async function planCommand(argv: string[], output: CommandOutput, context: CommandContext = processContext()): Promise<number> {
    const options = parseOptions(argv, output, context);
    if (!options) return 0;
    const projectDir = findProjectDir(__dirname);
    const configFile = options.config ? path.resolve(options.config) : stackFilePath(projectDir, options.stack);
    const stackFile = loadStackFile(configFile);
    const config = stackFile.config;
    const policyPackConfig = options.policyPackConfig ? readPolicyPackConfigFile(path.resolve(options.policyPackConfig)) : undefined;
    // The day version support is judged on: --today, else SOURCE_DATE_EPOCH, else the clock. It decides warnings and
    // refusals only; the planned resources are the same on every day.
    const today = judgementDay(options.today, process.env, () => new Date());
    // Validated before the program runs: a config mistake is reported once, with its line, and nothing planned.
    const stackConfig = stackConfigOf(stackFile, options.stack, { today });
    const warnings = [
        ...(stackConfig.segmentation ? undeclaredFlowPortWarnings(stackConfig.segmentation) : []),
        ...hostNetworkWarnings(stackConfig.cluster.azurePolicyAddon, stackConfig.segmentation !== undefined),
    ];
    for (const warning of warnings) warn(output, warning);
    progress(output, `running the ${options.stack} program under Pulumi mocks...`);
    const run = await runProgramOffline({ stack: options.stack, config, today });
    const lifecycle = clusterLifecycle(run, projectConfigValues(config), today);
    for (const warning of lifecycleWarnings(lifecycle)) warn(output, warning);
    progress(output, "computing reachability and checking the intent...");
    const security = buildSecurityReport(run, stackConfig);
    if (security.calico.warning) warn(output, security.calico.warning);
    progress(output, "running the stack policy pack...");
    // The same policies `pulumi preview --policy-pack policy-pack` enforces, run in-process on the captured resources.
    const policies = runPolicyPack(run, { stack: options.stack, environment: stackConfig.environment, config: policyPackConfig, today });
    progress(output, "");
    if (options.format === "mermaid") {
        output.out(matrixFlowchart(security).text);
    } else if (options.format === "json") {
        // The warnings travel with the plan, so that the security diff can show the ones a change brings.
        output.out(`${JSON.stringify({ ...planJson(run), lifecycle, security: { ...security, connections: undefined }, policies, warnings }, null, 2)}\n`);
    } else {
        const [beforeIntent, intentSection] = splitAtIntentCheck(securityReportText(security, { verbose: options.verbose }));
        const policySection = ["Policy pack (policy-pack/, as `pulumi preview --policy-pack` enforces it):", ...policyResultsText(policies).split("\n").map((line) => `  ${line}`)].join("\n");
        output.out(fitToWidth(`${planText(run)}\n\n${clusterLifecycleText(lifecycle)}\n\n${beforeIntent}\n\n${policySection}\n\n${intentSection}\n`));
    }
    if (options.out) {
        const intent = stackConfig.segmentation;
        const files = [
            ...manifestFiles("manifests", appliedObjects(run)),
            ...manifestFiles("workloads", intent ? renderRepresentativeWorkloads(intent) : []),
            // reach names the stack's own ranges (internet, VNet, ...) when it reads this file with the manifests.
            ...(intent ? [addressNamesFile(security.addressNames)] : []),
        ];
        writeManifestFiles(path.resolve(options.out), files);
        output.err(`wrote ${files.filter((file) => file.path.startsWith("manifests/")).length} manifests and ${files.filter((file) => file.path.startsWith("workloads/")).length} representative workloads under ${options.out}\n`);
    }
    let failed = false;
    if (hasMandatoryViolations(policies)) {
        const names = policies.filter((result) => result.enforcementLevel === "mandatory" && result.violations.length > 0).map((result) => result.policy);
        output.err(`error: mandatory policies failed: ${names.join(", ")}; see "Policy pack" above\n`);
        failed = true;
    }
    if (security.intentCheck && !security.intentCheck.passed) {
        output.err(`error: the intent check failed: ${security.intentCheck.violations.length} violation(s); see "Intent check" above\n`);
        failed = true;
    }
    if (failed) {
        return 1;
    }
    return 0;
}

/** Every connection of the stack's workloads, as enforcement would allow them (what the security diff compares). */
function matrixFlowchart(security: SecurityReport): Flowchart {
    const dataTier = new Set(security.workloads.filter((workload) => workload.labels[DATA_TIER_LABEL.key] === DATA_TIER_LABEL.value).map((workload) => workload.entity));
    // The stack's own ranges by name (internet, VNet, ...), as the plan's text and the diff print them.
    const names = compileAddressNames(security.addressNames);
    const enforced = presentConnections(security.enforcedConnectionLines.map((line) => parseConnectionLine(line)), { self: true, names });
    const connections = enforced.map((connection) => ({ connection, change: "unchanged" as const }));
    const auditNamespaces = new Set(security.policySets.filter((row) => row.mode === "audit").map((row) => row.namespace));
    return connectionFlowchart(connections, { dataTier, budget: MATRIX_GRAPH_BUDGET, auditNamespaces });
}

/** Splits the security report so that the policy pack's results go before the intent check, which ends the plan. */
function splitAtIntentCheck(text: string): [string, string] {
    const index = text.indexOf("\nIntent check:");
    return index < 0 ? [text, ""] : [text.slice(0, index).trimEnd(), text.slice(index + 1)];
}


interface PlanOptions {
    readonly stack: string;
    readonly config?: string;
    readonly policyPackConfig?: string;
    readonly format: "text" | "json" | "mermaid";
    readonly out?: string;
    readonly verbose: boolean;
    readonly today?: string;
}

/** The options, or undefined when --help was printed. */
function parseOptions(argv: string[], output: CommandOutput, context: CommandContext): PlanOptions | undefined {
    const parsed = parseCommandLine(PLAN, argv, context, output.out);
    if (!parsed) return undefined;
    const values = parsed.values as Record<string, string | undefined> & { verbose?: boolean };
    return {
        stack: checkStackName(values.stack!),
        config: values.config,
        policyPackConfig: values["policy-pack-config"],
        format: values.format as PlanOptions["format"],
        out: values.out,
        verbose: values.verbose === true,
        today: checkToday(values.today),
    };
}

/** The errors of this command that are the user's input, printed without a stack trace. */
export const PLAN_INPUT_ERRORS = [StackFileError, PolicyConfigError, DayError];

// Run only when executed directly, not when a test imports the command.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
    void runAsProcess(planCommand, PLAN_INPUT_ERRORS);
}
