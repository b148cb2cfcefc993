/**
 * Every command's text output keeps to a 120-column terminal (README's promise), on both stacks and on a
 * 12-namespace audit stack (examples/audit-12-namespaces.yaml). Plan, reach --explain and the diff's text run on
 * real plans here; suggest's text is measured on README's run (test/project/readme.test.ts) and bench's on a compiled run
 * (test/project/build.test.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { fitToWidth, helpText, type CommandContext } from "../../cli/common/commandLine";
import { securityDiffOutput } from "../../cli/diff";
import { run as reachRun } from "../../cli/reach";
import { securityDiff, type PlanSecurityJson } from "../../offline/report";
import { CliResult, runPlanInProcess } from "../helpers/cli";
import { PROJECT_DIR } from "../helpers/stack";
import { widestLine } from "../helpers/width";

const TWELVE = path.join(PROJECT_DIR, "examples", "audit-12-namespaces.yaml");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "widths-"));

/** In-process plans share Pulumi's global state: they run one after another. */
let queue: Promise<unknown> = Promise.resolve();
function plan(args: string[]): Promise<CliResult> {
    const result = queue.then(() => runPlanInProcess(args));
    queue = result.catch(() => undefined);
    return result;
}

/** The text plans (with --out, for reach), shared by the tests below. */
let textPlans: { dev: Promise<CliResult>; twelve: Promise<CliResult> } | undefined;
function textPlan(stack: "dev" | "twelve"): Promise<CliResult> {
    textPlans ??= {
        dev: plan(["--stack", "dev", "--out", path.join(scratch, "dev")]),
        twelve: plan(["--stack", "dev", "--config", TWELVE, "--out", path.join(scratch, "twelve")]),
    };
    return textPlans[stack];
}

async function securitySide(args: string[]): Promise<PlanSecurityJson> {
    const result = await plan([...args, "--format", "json"]);
    expect(result.status, result.stderr).toBe(0);
    const planned = JSON.parse(result.stdout) as { security: PlanSecurityJson; policies: PlanSecurityJson["policies"] };
    return { ...planned.security, policies: planned.policies };
}

function reach(args: string[]): string {
    let stdout = "";
    const status = reachRun(args, { out: (text) => (stdout += text), err: () => undefined });
    expect(status).toBe(0);
    return stdout;
}

describe("120 columns", () => {
    it("plan: dev and a 12-namespace audit stack (prod: test/cli/plan.test.ts); the 12 namespaces plan in under 600 lines", async () => {
        const dev = await textPlan("dev");
        const twelve = await textPlan("twelve");
        expect(dev.status, dev.stderr).toBe(0);
        expect(twelve.status, twelve.stderr).toBe(0);
        expect(widestLine(dev.stdout)).toBeLessThanOrEqual(120);
        expect(widestLine(twelve.stdout)).toBeLessThanOrEqual(120);
        expect(twelve.stdout.split("\n").length).toBeLessThan(600);
        // One summary line per audit namespace, not the pairs.
        expect(twelve.stdout.match(/^ {2}! \S+ audit: everything else allowed and logged, \d+ pairs/gm)).toHaveLength(12);
        expect(twelve.stdout).not.toMatch(/^ {2}! \S+\/\S+ => /m);
    });

    it("reach --explain and reach's connection list: dev and the 12-namespace stack", async () => {
        await textPlan("dev");
        await textPlan("twelve");
        for (const folder of [path.join(scratch, "dev"), path.join(scratch, "twelve")]) {
            for (const [source, destination] of [["shop/frontend", "shop/database"], ["shop/backend", "1.1.1.1"], ["monitoring/monitoring-agent", "shop/database"], ["undeclared-namespace/probe", "shop/backend"]]) {
                const text = reach([folder, "--explain", source!, destination!]);
                expect(text).toContain("verdict:");
                expect(widestLine(text), `${folder}: ${source} -> ${destination}`).toBeLessThanOrEqual(120);
            }
            expect(widestLine(reach([folder]))).toBeLessThanOrEqual(120);
        }
    });

    it("diff: prod to and from the 12-namespace stack (a change on dev: test/cli/diff.test.ts)", async () => {
        const [prod, twelve] = await Promise.all([securitySide(["--stack", "prod"]), securitySide(["--stack", "dev", "--config", TWELVE])]);
        for (const [before, after, name] of [[prod, twelve, "prod -> 12"], [twelve, prod, "12 -> prod"]] as const) {
            const text = securityDiffOutput(securityDiff(before, after), "dev", "text");
            expect(text.split("\n").length, name).toBeGreaterThan(5);
            expect(widestLine(text), name).toBeLessThanOrEqual(120);
        }
    });

    it("every command's --help, as npm and as the bin show it", async () => {
        const { SPECS } = await import("../helpers/commands");
        expect(SPECS.map((spec) => spec.name)).toEqual(expect.arrayContaining(["drift", "review", "pack:policy"]));
        for (const via of ["npm", "bin"] as const) {
            const context: CommandContext = { via, env: {} };
            for (const spec of SPECS) expect(widestLine(helpText(spec, context)), `${spec.name} (${via})`).toBeLessThanOrEqual(120);
        }
    });
});

describe("fitting text to the width", () => {
    it("wraps a long line at a space under its own indentation, keeps short lines, and marks a cut word with …", () => {
        const long = `    ${"word ".repeat(40).trim()}`;
        const fitted = fitToWidth(`short\n${long}`, 40).split("\n");
        expect(fitted[0]).toBe("short");
        expect(fitted.slice(1).every((line) => line.startsWith("    ") && [...line].length <= 40)).toBe(true);
        expect(fitted.slice(1).join(" ").replace(/\s+/g, " ").trim()).toBe(long.trim());
        expect(fitToWidth(`  ${"x".repeat(60)} tail`, 40)).toBe(`  ${"x".repeat(37)}…\n    tail`);
    });
});
