import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CliResult, compiledCli, runInProcess } from "../helpers/cli";

/** `npm run suggest -- args`, in this process (it still plans in child processes). */
function suggest(args: readonly string[]): Promise<CliResult> {
    return runInProcess(async () => {
        const { suggestCommand, SUGGEST_INPUT_ERRORS } = await import("../../cli/suggest");
        return { command: suggestCommand, inputErrors: SUGGEST_INPUT_ERRORS };
    }, args);
}
import { ACCEPTANCE_PACKETS, clusterDump, iptablesLines, SHOP_NAMESPACES, SHOP_PODS, SHOP_SERVICES } from "../suggest/fixtures";

function scratch(files: Record<string, string>): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "suggest-cli-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
    return folder;
}

describe("npm run suggest", () => {
    it("prints usage and exits 2 on bad flags", async () => {
        const missing = compiledCli("suggest", ["--cluster", "dump.json"]);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toMatch(/^error: --logs is required, e\.g\. --logs examples\/kern\.log\nusage: npm run suggest -- --logs FILE \[--cluster DUMP\]/);
        const format = await suggest(["--logs", "a", "--cluster", "b", "--logs-format", "syslog"]);
        expect(format.status).toBe(2);
        expect(format.stderr).toContain('--logs-format must be auto, iptables, nftables, log-analytics or goldmane, got "syslog"');
        const json = await suggest(["--logs", "a", "--cluster", "b", "--format", "jsno"]);
        expect(json.stderr).toContain('--format must be text, md or json, got "jsno" (did you mean json?)');
    });

    it("describes every option on --help, exit 0, reading nothing", async () => {
        const help = await suggest(["--help"]);
        expect(help.status).toBe(0);
        for (const option of ["--logs FILE", "--cluster DUMP", "--stack NAME", "--config FILE", "--since TIME", "--logs-format FORMAT", "--log-prefix PREFIX", "--write-patch FILE", "--format FORMAT"]) {
            expect(help.stdout).toContain(option);
        }
        expect(help.stdout.replace(/\s+/g, " ").match(/ e\.g\. --/g)?.length).toBe(9);
    });

    it("lists the stacks there are for an unknown one", async () => {
        const result = await suggest(["--logs", "examples/kern.log", "--cluster", "examples/cluster.json", "--stack", "staging"]);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe("error: no stack file Pulumi.staging.yaml: stacks here: dev, prod (or --config FILE)\n");
    });

    it("names file:line of a bad log line and exits 1 without a stack trace", () => {
        const folder = scratch({ "kern.log": "ok\nDec  1 09:00:00 node-a kernel: calico-packet: IN=eth0 OUT= SRC=10.244.0.300 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=2\n", "dump.json": clusterDump(SHOP_NAMESPACES, SHOP_PODS, SHOP_SERVICES) });
        const result = compiledCli("suggest", ["--logs", path.join(folder, "kern.log"), "--cluster", path.join(folder, "dump.json")]);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe(`error: ${path.join(folder, "kern.log")}:2: SRC=10.244.0.300 is not an IPv4 address\n`);
    });

    it("acceptance: proposes backend's egress CIDR, refuses frontend -> database naming the policy, reports the unknown pod; the patch plans PASS", () => {
        const folder = scratch({ "kern.log": iptablesLines(ACCEPTANCE_PACKETS), "dump.json": clusterDump(SHOP_NAMESPACES, SHOP_PODS, SHOP_SERVICES) });
        const patch = path.join(folder, "Pulumi.dev.yaml");
        const result = compiledCli("suggest", ["--logs", path.join(folder, "kern.log"), "--cluster", path.join(folder, "dump.json"), "--write-patch", patch, "--format", "md"]);
        expect(result.status).toBe(0);
        // 10.30.0.12 is a private address, not the internet.
        expect(result.stdout).toContain("**opens 1 connection; policy pack PASS; intent check PASS**");
        expect(result.stdout).toContain("+ shop/backend[Pod] => 10.30.0.12[External] : TCP 5432");
        expect(result.stdout).toContain("#### Proposed from denied-flow logs (1)\n\n- shop/backend egress.cidrs: 10.30.0.12/32 TCP 5432\n");
        expect(result.stdout).toContain("    DO NOT ADD flows: shop/frontend -> shop/database TCP 5432: it breaks policy web-tier-never-reaches-data-tier (mandatory)");
        expect(result.stdout).toContain("  10.244.3.99 (unknown) -> shop/backend TCP 80");
        expect(result.stderr).toContain(`wrote 1 accepted proposal(s) to ${patch}`);
        expect(fs.readFileSync(patch, "utf8")).toContain("              cidrs:\n                - cidr: 10.30.0.12/32\n                  ports: [5432]\n");

        const plan = compiledCli("plan", ["--stack", "dev", "--config", patch]);
        expect(plan.status).toBe(0);
        expect(plan.stdout.trimEnd().split("\n").pop()).toMatch(/^ {2}PASS \(\d+ allowed connections checked against the intent, \d+ declared ones found allowed\)$/);
    });

    it("acceptance, self-managed Calico: a Goldmane export's staged denies go through the same guardrails, with no cluster dump", () => {
        // The fixture's frontend -> database flow (both reporters), backend -> internet and the monitoring deny.
        const all = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "suggest", "fixtures", "goldmane-flows.json"), "utf8")) as { flows: Array<{ id: string }> };
        const folder = scratch({ "flows.json": JSON.stringify({ flows: all.flows.filter((result) => ["11", "12", "14", "15"].includes(result.id)) }, null, 2) });
        const result = compiledCli("suggest", ["--logs", path.join(folder, "flows.json")]);
        expect(result.stderr).not.toContain("error");
        expect(result.status).toBe(0);
        expect(result.stdout).toContain(`Goldmane flow export ${path.join(folder, "flows.json")}: 4 flow(s), 1 denied, 3 denied only by staged policies`);
        // Text wraps at 120 columns.
        expect(result.stdout).toMatch(/ {4}DO NOT ADD flows: shop\/frontend -> shop\/database TCP 5432: it breaks policy web-tier-never-reaches-data-tier\s+\(mandatory\)/);
        expect(result.stdout).toContain("shop/backend -> a public network (Goldmane gives no address) TCP 443");
    });
});
