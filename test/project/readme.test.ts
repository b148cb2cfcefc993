/**
 * README's commands, run as written (what they write goes to a scratch folder), so that README cannot rot.
 * Plan and reach run in-process; suggest and review each in a process of their own, beside them (they spend their
 * time in their own plans); the security diff is checked up
 * to its git lookup (its own tests run it for real).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { run as reachRun } from "../../cli/reach";
import { parseStack, stackConfigOf } from "../../offline/runtime";
import { CliResult, runDiffInProcess, runPlanInProcess, startCompiledCli } from "../helpers/cli";
import { PROJECT_DIR } from "../helpers/stack";
import { widestLine } from "../helpers/width";

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

/**
 * README's commands read the repository's files (examples/, policy-pack/) as written; only what they write goes to a
 * scratch folder instead of /tmp, and the security diff's revisions are made up (its own tests run it for real).
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "readme-"));
const SCRATCH_PATHS: Record<string, string> = {
    "/tmp/p": path.join(scratch, "p"),
    "/tmp/Pulumi.dev.proposed.yaml": path.join(scratch, "Pulumi.dev.proposed.yaml"),
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
    const words = main!.split(/\s+/).map((word) => SCRATCH_PATHS[word] ?? word);
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
    // Review and suggest share no state with the in-process tools and spend their time in their own plans: each runs
    // compiled in a process of its own (as npm run does), beside them.
    if (command.tool === "suggest" || command.tool === "review") return startCompiledCli(command.tool, command.args);
    let stdout = "";
    let stderr = "";
    const status = reachRun(command.args, { out: (text) => { stdout += text; }, err: (text) => { stderr += text; } });
    return { status, stdout, stderr };
}

const commands = fencedCommands(README);

describe("README's commands", () => {
    it("are all known: the project's tools, npm itself, or deployment commands", () => {
        const unknown = commands.filter((command) => !parse(command) && !NPM_ITSELF.has(command) && !DEPLOYMENT_COMMANDS.test(command));
        expect(unknown).toEqual([]);
        expect(commands.filter((command) => parse(command)).length).toBeGreaterThanOrEqual(10);
    });

    it("name only files that exist in the repository (or that an earlier command writes under /tmp)", () => {
        const words = commands.filter((command) => parse(command)).flatMap((command) => command.split(/\s*\|\s*/)[0]!.split(/\s+/).slice(2));
        const files = words.filter((word) => !word.startsWith("/tmp/") && (/\.(ya?ml|json|log)$/.test(word) || /^(examples|policy-pack|test)\//.test(word)));
        expect(files).toContain("examples/my-stack.yaml");
        expect(files).toContain("examples/expectations.yaml");
        for (const file of files) expect(fs.existsSync(path.join(PROJECT_DIR, file)), file).toBe(true);
        // What the commands read, of each kind the issue asked for: iptables and nftables logs, a Log Analytics export,
        // a kubectl dump, a Goldmane export, the firewall's log exports.
        for (const example of ["examples/kern.log", "examples/kern-nftables.log", "examples/syslog.json", "examples/cluster.json", "examples/goldmane-flows.json", "examples/review/azfw-application-rule.json", "examples/review/azfw-network-rule.json"]) {
            expect(files, example).toContain(example);
        }
    });

    it("and examples/ holds nothing README and examples/README.md leave unexplained", () => {
        const examplesReadme = fs.readFileSync(path.join(PROJECT_DIR, "examples", "README.md"), "utf8");
        const shipped = fs.readdirSync(path.join(PROJECT_DIR, "examples"), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name !== "README.md");
        expect(shipped.length).toBeGreaterThanOrEqual(10);
        for (const entry of shipped) {
            const file = path.relative(path.join(PROJECT_DIR, "examples"), path.join(entry.parentPath, entry.name));
            expect(README, `README.md names examples/${file}`).toContain(file.startsWith("review/") ? "examples/review/" : file);
            expect(examplesReadme, `examples/README.md describes ${file}`).toContain(file.startsWith("review/") ? "`review/`" : `\`${file}\``);
        }
    });

    // Every README command in order, plans included (in-process plans share Pulumi's state, so they take turns):
    // longer than the suite's 60 s guard per test on a loaded machine.
    it("run as written, in README's order, and print what README says", async () => {
        const results = new Map<string, Promise<CliResult>>();
        const keyOf = (parsed: ParsedCommand) => [parsed.tool, ...parsed.args].join(" ");
        // Review and suggest run in their own processes: start them now, beside the in-process tools.
        for (const parsed of commands.map(parse)) {
            if (parsed?.tool === "review" || parsed?.tool === "suggest") results.set(keyOf(parsed), runTool(parsed));
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
            // Text for a terminal keeps to 120 columns (JSON, Markdown and Mermaid are read by programs).
            if (!parsed.args.some((arg) => ["json", "md", "mermaid"].includes(arg))) expect(widestLine(result.stdout), command).toBeLessThanOrEqual(120);
            if (parsed.args.includes("json")) {
                const json = JSON.parse(result.stdout);
                if (parsed.jq) expect(json[parsed.jq.slice(1)], command).toBeDefined();
            }
            if (parsed.tool === "suggest" && parsed.args.includes("examples/goldmane-flows.json")) {
                // Self-managed Calico's evidence: what the staged policies would deny, through the same guardrails.
                expect(result.stdout, command).toContain("Goldmane flow export examples/goldmane-flows.json: 6 flow(s), 1 denied, 4 denied only by staged policies");
                expect(result.stdout, command).toContain("propose flows: shop/frontend -> shop/backend TCP 9090");
                expect(result.stdout, command).toContain("DO NOT ADD flows: shop/frontend -> shop/database TCP 5432");
            } else if (parsed.tool === "suggest") {
                expect(result.stdout, command).toContain("10.30.0.12/32 TCP 5432");
                if (parsed.args.includes("json")) expect(JSON.parse(result.stdout).accepted, command).toEqual(["shop/backend egress.cidrs: 10.30.0.12/32 TCP 5432"]);
            }
            // README's review runs for a terminal; its Markdown on the same example: test/cli/review.test.ts.
            if (parsed.tool === "review") {
                expect(result.stdout, command).toMatch(/^ {2}remove shop\/backend egress\.fqdns invoices\.legacy-partner\.example/m);
                expect(result.stdout, command).toContain("  shop: 8 -> 7 of 10\n");
            }
            if (parsed.args.includes("--expect")) {
                expect(result.stdout, command).toMatch(/^PASS/m);
            }
        }
    }, 180_000);
});

describe("README's sample errors", () => {
    /** What `npm run plan` prints (stderr) for Pulumi.dev.yaml with one slip, from the same parser and validation. */
    function planError(from: string, to: string): string {
        const dev = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
        expect(dev, `Pulumi.dev.yaml still holds ${JSON.stringify(from)}`).toContain(from);
        try {
            stackConfigOf(parseStack(dev.replace(from, to), "Pulumi.dev.yaml"), "dev");
        } catch (error) {
            return `error: ${(error as Error).message}`;
        }
        throw new Error(`no error for ${JSON.stringify(to)}`);
    }

    it("are what the plan prints for each slip in Pulumi.dev.yaml, at today's lines", () => {
        const block = /\n```\n(error: Invalid stack config[\s\S]*?)\n```\n/.exec(README)?.[1];
        expect(block, "README's block of sample errors").toBeDefined();
        const printed = [
            planError("dnsServiceIp: 10.96.0.10", "dnsServiceIp: 10.97.0.10"),
            // backend's egress FQDN (the first `ports: [443]` under an fqdn).
            planError("- fqdn: api.stripe.com\n                  ports: [443]", "- fqdn: api.stripe.com\n                  port: [443]"),
            planError("aks-zero-trust:segmentation:", "aks-zerotrust:segmentation:"),
            planError("- fqdn: api.stripe.com", "- fqdn: *.stripe.com"),
            planError("    skuTier: Free", "\tskuTier: Free"),
        ];
        expect(printed.join("\n"), "README's sample errors are stale: copy these").toBe(block);
    });
});
