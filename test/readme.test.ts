/**
 * README's commands, run as written (placeholders replaced by scratch files), so that README cannot rot.
 * Plan, reach, suggest and review run in-process (suggest and review still plan in child processes); the security diff is checked up
 * to its git lookup (its own tests run it for real).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { run as reachRun } from "../reach/cli";
import { CliResult, runDiffInProcess, runInProcess, runPlanInProcess } from "./helpers/cli";
import { PROJECT_DIR } from "./helpers/stack";
import { ACCEPTANCE_PACKETS, clusterDump, HOST_IPS, iptablesLines, logAnalyticsJson, SHOP_NAMESPACES, SHOP_PODS, SHOP_SERVICES } from "./suggest/fixtures";

const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

/** Every command line of README's ```bash blocks, comments dropped, `a && b` split. */
function fencedCommands(markdown: string): string[] {
    const blocks = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!);
    return blocks
        .flatMap((block) => block.split("\n"))
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line !== "")
        .flatMap((line) => line.split(/\s*&&\s*/));
}

/** Commands for a real deployment (Azure, Pulumi CLI): they need a cloud account, so only their shape is known here. */
const DEPLOYMENT_COMMANDS = /^(az |export |pulumi )/;
/** npm's own commands: `npm ci` is what .ci/run starts with, `npm test` is this suite. */
const NPM_ITSELF = new Set(["npm ci", "npm test"]);

/** README placeholders and the scratch paths that stand for them. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "readme-"));
const outDir = path.join(scratch, "p");
fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), path.join(scratch, "my-stack.yaml"));
// The expectation README's comment gives as an example, in README's bare-list form.
fs.writeFileSync(path.join(scratch, "expectations.yaml"), "- shop/frontend -> shop/database: deny\n");
// Denied-flow logs for suggest: backend's retried connection to an external database (one proposal, one plan).
const backendToExternalDatabase = ACCEPTANCE_PACKETS.filter((packet) => packet.destination === "10.30.0.12");
fs.writeFileSync(path.join(scratch, "kern.log"), iptablesLines(backendToExternalDatabase));
fs.writeFileSync(path.join(scratch, "syslog.json"), logAnalyticsJson(backendToExternalDatabase, "iptables", HOST_IPS));
fs.writeFileSync(path.join(scratch, "cluster.json"), clusterDump(SHOP_NAMESPACES, SHOP_PODS, SHOP_SERVICES));
// `--write-patch Pulumi.dev.yaml` edits the stack file in place: here, a copy of it.
fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), path.join(scratch, "Pulumi.dev.yaml"));
const PLACEHOLDERS: Record<string, string> = {
    "my-stack.yaml": path.join(scratch, "my-stack.yaml"),
    "expectations.yaml": path.join(scratch, "expectations.yaml"),
    "/tmp/p": outDir,
    "kern.log": path.join(scratch, "kern.log"),
    "syslog.json": path.join(scratch, "syslog.json"),
    "cluster.json": path.join(scratch, "cluster.json"),
    "Pulumi.dev.yaml": path.join(scratch, "Pulumi.dev.yaml"),
    OLD: path.join(outDir, "manifests"),
    NEW: outDir,
    // No such revision here: the diff parses its options, then stops at the git lookup.
    "origin/main": "readme-test-no-such-revision",
    "HEAD~1": "readme-test-no-such-revision",
};

interface ParsedCommand {
    readonly tool: "plan" | "diff" | "suggest" | "review" | "reach";
    readonly args: string[];
    readonly jq?: string;
}

/** `npm run TOOL -- ARGS` or `npx aks-zero-trust TOOL ARGS`, optionally piped into `jq .key`. */
function parse(command: string): ParsedCommand | undefined {
    const [main, pipe] = command.split(/\s*\|\s*/);
    const words = main!.split(/\s+/).map((word) => PLACEHOLDERS[word] ?? word);
    let tool: string | undefined;
    let args: string[];
    if (words[0] === "npm" && words[1] === "run") {
        tool = words[2];
        args = words[3] === "--" ? words.slice(4) : words.slice(3);
    } else if (words[0] === "npx" && words[1] === "aks-zero-trust") {
        tool = words[2];
        args = words.slice(3);
    } else {
        return undefined;
    }
    if (tool !== "plan" && tool !== "diff" && tool !== "suggest" && tool !== "review" && tool !== "reach") return undefined;
    const jq = pipe ? /^jq (\.\w+)$/.exec(pipe)?.[1] : undefined;
    if (pipe && !jq) throw new Error(`README pipes into something this test does not know: ${pipe}`);
    return { tool, args, jq };
}

async function runTool(command: ParsedCommand): Promise<CliResult> {
    if (command.tool === "plan") return runPlanInProcess(command.args);
    if (command.tool === "diff") return runDiffInProcess(command.args);
    if (command.tool === "suggest") {
        return runInProcess(async () => {
            const { suggestCommand, SUGGEST_INPUT_ERRORS } = await import("../cli/suggest");
            return { command: suggestCommand, inputErrors: SUGGEST_INPUT_ERRORS };
        }, command.args);
    }
    if (command.tool === "review") return runInOwnProcess("cli/review.ts", command.args);
    let stdout = "";
    let stderr = "";
    const status = reachRun(command.args, { out: (text) => { stdout += text; }, err: (text) => { stderr += text; } });
    return { status, stdout, stderr };
}

/**
 * `tsx <script> args...` in a child process, without blocking: review shares no state with the in-process tools
 * and spends its time in its own plans, so it runs beside them.
 */
function runInOwnProcess(script: string, args: readonly string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(path.join(PROJECT_DIR, "node_modules", ".bin", "tsx"), [path.join(PROJECT_DIR, script), ...args], { cwd: PROJECT_DIR });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString("utf8"); });
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString("utf8"); });
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

const commands = fencedCommands(README);

describe("README's commands", () => {
    it("are all known: the project's tools, npm itself, or deployment commands", () => {
        const unknown = commands.filter((command) => !parse(command) && !NPM_ITSELF.has(command) && !DEPLOYMENT_COMMANDS.test(command));
        expect(unknown).toEqual([]);
        expect(commands.filter((command) => parse(command)).length).toBeGreaterThanOrEqual(10);
    });

    // Every README command in order, plans included: on a loaded machine this passes the suite's 60 s guard per test.
    it("run as written, in README's order, and print what README says", async () => {
        const results = new Map<string, Promise<CliResult>>();
        const keyOf = (parsed: ParsedCommand) => [parsed.tool, ...parsed.args].join(" ");
        // Review runs in its own process: start it now, beside the in-process tools.
        for (const parsed of commands.map(parse)) {
            if (parsed?.tool === "review") results.set(keyOf(parsed), runTool(parsed));
        }
        for (const command of commands) {
            const parsed = parse(command);
            if (!parsed) continue;
            // The same tool and arguments (a JSON plan, then the same plan piped) run once.
            const key = keyOf(parsed);
            if (!results.has(key)) results.set(key, runTool(parsed));
            const result = await results.get(key)!;
            if (parsed.tool === "diff") {
                // Options accepted (a usage mistake exits 2); the made-up revision is then reported by name.
                expect(result.stderr, command).toMatch(/^error: cannot read Pulumi\.\w+\.yaml at readme-test-no-such-revision: /);
                expect(result.status, command).toBe(1);
                continue;
            }
            expect(result.status, `${command}\n${result.stderr}`).toBe(0);
            expect(result.stdout, command).not.toBe("");
            if (parsed.args.includes("json")) {
                const json = JSON.parse(result.stdout);
                if (parsed.jq) expect(json[parsed.jq.slice(1)], command).toBeDefined();
            }
            if (parsed.tool === "suggest") {
                expect(result.stdout, command).toContain("10.30.0.12/32 TCP 5432");
            }
            if (parsed.tool === "review") {
                expect(result.stdout, command).toContain("| shop/backend egress.fqdns invoices.legacy-partner.example |");
                expect(result.stdout, command).toContain("| shop | 8 | 7 | 10 |");
            }
            if (parsed.args.includes("--expect")) {
                expect(result.stdout, command).toMatch(/^PASS/m);
            }
        }
    }, 180_000);
});
