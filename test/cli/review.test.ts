import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compiledCli, runInProcess } from "../helpers/cli";
import { PROJECT_DIR } from "../helpers/stack";
import { APPLICATION_LOG, CLUSTER_DUMP, EXAMPLE_STACK, exportRows, NETWORK_LOG } from "../review/fixtures";

function runReview(args: readonly string[]) {
    return runInProcess(async () => {
        const { reviewCommand, REVIEW_INPUT_ERRORS } = await import("../../cli/review");
        return { command: reviewCommand, inputErrors: REVIEW_INPUT_ERRORS };
    }, args);
}

const EXAMPLE_ARGS = ["--stack", "prod", "--config", EXAMPLE_STACK, "--cluster", CLUSTER_DUMP];

describe("npm run review", () => {
    it("prints usage and exits 2 on bad flags", async () => {
        const missing = await runReview(["--cluster", "dump.json"]);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toMatch(/^error: --firewall-logs is required, e\.g\. --firewall-logs examples\/review\/azfw-application-rule\.json examples\/review\/azfw-network-rule\.json\nusage: npm run review -- --firewall-logs FILE\.\.\. --cluster DUMP/);
        const help = await runReview(["--help"]);
        expect(help.status).toBe(0);
        for (const option of ["--firewall-logs FILE...", "--cluster DUMP", "--stack NAME", "--config FILE", "--format FORMAT", "--write-patch FILE", "--min-span DAYS"]) expect(help.stdout).toContain(option);
        const span = await runReview(["--firewall-logs", "a.json", "--cluster", "b.json", "--min-span", "two weeks"]);
        expect(span.status).toBe(2);
        expect(span.stderr).toContain('--min-span must be a whole number of days, 1 or more, got "two weeks"');
    });

    it("acceptance: removes backend's unused FQDN and legacy-reporter with its flow; the patch plans PASS and only closes", async () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "review-cli-"));
        const patch = path.join(folder, "Pulumi.prod.yaml");
        // Compiled, in its own process, as npm run starts it: its plans are README's review's (shared through the run's plan cache).
        const result = compiledCli("review", ["--firewall-logs", APPLICATION_LOG, NETWORK_LOG, ...EXAMPLE_ARGS, "--write-patch", patch, "--format", "md"]);
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("- `AZFWApplicationRule`: 9 row(s) covering 90.9 days (2026-09-01 to 2026-11-30)\n");
        expect(result.stdout).toContain("**Removes 2 entries; the patched stack plans with PASS and its security diff only closes.**");
        expect(result.stdout).toContain("| shop/backend egress.fqdns invoices.legacy-partner.example | no requests for invoices.legacy-partner.example in 90.9 days");
        expect(result.stdout).toContain("| workload shop/legacy-reporter<br>with flow shop/legacy-reporter -> shop/database | no pod and no pod template");
        expect(result.stdout).toContain("- shop/backend egress.fqdns api.stripe.com: **in use**: 18234 requests");
        // The budget before and after: legacy-reporter's policy goes; the global policies stay.
        expect(result.stdout).toContain("| shop | 8 | 7 | 10 |\n| _global policies_ | 6 | 6 | 20 |");
        expect(result.stdout).toContain("- shop/legacy-reporter[Pod] => shop/database[Pod] : TCP 5432");
        expect(result.stdout).toMatch(/policy pack PASS; intent check PASS\*\*/);
        expect(result.stderr).toBe(`wrote 2 removal(s) to ${patch}\n`);
        // The example is prod plus the two unused entries (and a header comment): the patch gives prod back.
        const prod = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8");
        expect(fs.readFileSync(patch, "utf8")).toBe(fs.readFileSync(EXAMPLE_STACK, "utf8").split("\n").slice(0, 3).join("\n") + "\n" + prod);
    });

    it("a malformed log row is reported with its position, and nothing is planned or written", async () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "review-cli-"));
        const rows = exportRows(APPLICATION_LOG);
        rows[2] = { ...rows[2], LastSeen: "30/11/2026 23:55" };
        const log = path.join(folder, "app.json");
        fs.writeFileSync(log, JSON.stringify(rows, null, 2));
        const patch = path.join(folder, "patch.yaml");
        const result = await runReview(["--firewall-logs", log, NETWORK_LOG, ...EXAMPLE_ARGS, "--write-patch", patch]);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe(`error: ${log}:28: row 3: LastSeen is "30/11/2026 23:55", not an ISO 8601 time such as 2026-12-01T10:00:00Z\n`);
        expect(result.stdout).toBe("");
        expect(fs.existsSync(patch)).toBe(false);
    });
});
