import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runDiffInProcess } from "./helpers/cli";
import { PROJECT_DIR } from "./helpers/stack";
import { widestLine } from "./helpers/width";

/** A scratch repository whose HEAD~1 holds the dev stack file and HEAD the changed one. */
function scratchRepo(change: (text: string) => string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    git("config", "user.email", "test@example.com");
    git("config", "user.name", "test");
    const original = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), original);
    git("add", ".");
    git("commit", "-qm", "base");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), change(original));
    git("commit", "-q", "--allow-empty", "-am", "change");
    return dir;
}

describe("npm run diff", () => {
    // End to end on scratch commits (each run plans both sides: seconds); test/securityDiff.test.ts covers the decisions in-process.
    it("blocks a flow from the web tier into the data tier: verdict first, both mandatory policies, the edge in the picture, non-zero exit", () => {
        const dir = scratchRepo((text) => text.replace(
            "      - from: shop/backend\n        to: shop/database\n        ports: [5432]\n",
            "      - from: shop/backend\n        to: shop/database\n        ports: [5432]\n      - from: shop/frontend\n        to: shop/database\n        ports: [5432]\n",
        ));
        const result = runCli("cli/diff.ts", ["--base", "HEAD~1", "--stack", "dev", "--format", "md", "--fail-on", "mandatory"], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe("error: the change to stack dev introduces violations of mandatory policies web-tier-never-reaches-data-tier, data-tier-ingress-allowlist (--fail-on mandatory)\n");
        const lines = result.stdout.split("\n");
        expect(lines[0]).toBe("### Security diff: `dev`");
        expect(lines[2]).toBe("**blocks merge: 2 mandatory policies fail (web-tier-never-reaches-data-tier, data-tier-ingress-allowlist); opens 1 connection into tier=data; policy pack PASS -> FAIL (2 mandatory); intent check PASS**");
        expect(lines.filter((line) => /^[+-] /.test(line))).toEqual(["+ shop/frontend[Pod] => shop/database[Pod] : TCP 5432"]);
        expect(result.stdout).toContain("| Into the data tier (tier=data) | 1 | 0 |");
        // Each new violation with the pack's remediation text.
        expect(result.stdout).toContain("remediation: Route the web tier through the api tier");
        const mermaid = /```mermaid\n([\s\S]*?)```/.exec(result.stdout)?.[1] ?? "";
        expect(mermaid).toMatch(/^ {2}(n_shop_frontend_Pod) -->\|"\+ TCP 5432"\| (n_shop_database_Pod)$/m);
        expect(mermaid).toContain("linkStyle 0 stroke:#1a7f37");
        // docs/ci.md shows this very output as its example comment.
        expect(fs.readFileSync(path.join(PROJECT_DIR, "docs", "ci.md"), "utf8")).toContain(result.stdout.trimEnd());
    });

    it("lists an FQDN added to a workload under internet egress, and passes --fail-on mandatory", () => {
        const dir = scratchRepo((text) => text.replace("                - fqdn: api.stripe.com\n", "                - fqdn: api.stripe.com\n                - fqdn: hooks.slack.com\n"));
        const result = runCli("cli/diff.ts", ["--base", "HEAD~1", "--stack", "dev", "--fail-on", "mandatory"], dir);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        // The verdict, wrapped at 120 columns.
        expect(result.stdout.split("\n").slice(0, 2)).toEqual(["Security diff of stack dev: internet egress: adds FQDN hooks.slack.com Https:443 (shop/backend); policy pack PASS;", "  intent check PASS"]);
        expect(result.stdout).toContain("To the internet (0 opened, 0 closed, 1 FQDN added, 0 removed):\n  + FQDN hooks.slack.com Https:443 (shop/backend)\n    the firewall allows shop/backend: api.stripe.com Https:443, hooks.slack.com Https:443\n");
        expect(result.stdout).toContain("+ workload-egress/workload-fqdns/shop-backend: 10.10.16.0/22 -> api.stripe.com, hooks.slack.com (Https:443)");
        expect(widestLine(result.stdout)).toBeLessThanOrEqual(120);
    });

    it("puts the reason in the pull-request comment when the working tree's stack file has a YAML slip (an unquoted *.stripe.com)", () => {
        const dir = scratchRepo((text) => text.replace("- fqdn: api.stripe.com", "- fqdn: *.stripe.com"));
        const result = runCli("cli/diff.ts", ["--base", "HEAD~1", "--stack", "dev", "--format", "md"], dir);
        expect(result.status).toBe(1);
        expect(result.stdout).toMatch(/^### Security diff: `dev`\n\n\*\*cannot compute the diff:\*\*\n\n```\ncannot plan Pulumi\.dev\.yaml in the working tree:\nerror: \S*Pulumi\.dev\.yaml:\d+:25: \*\.stripe\.com is a YAML alias .*quote it: "\*\.stripe\.com"\n```\n$/);
        expect(result.stderr).not.toContain("internal error");
    });

    it("fails clearly for an unknown base revision", () => {
        const dir = scratchRepo((text) => text);
        const result = runCli("cli/diff.ts", ["--base", "no-such-ref"], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^error: cannot read Pulumi\.dev\.yaml at no-such-ref: /);
    });

    it("rejects an unknown --fail-on level", () => {
        const result = runCli("cli/diff.ts", ["--base", "HEAD", "--fail-on", "advisory"], PROJECT_DIR);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^error: --fail-on must be mandatory, got "advisory"\n/);
    });

    it("describes its options on --help and asks for --base by example, without planning", async () => {
        const help = await runDiffInProcess(["--help"]);
        expect(help.status).toBe(0);
        for (const option of ["--base GIT_REF", "--stack NAME", "--format FORMAT", "--fail-on LEVEL", "--policy-pack-config FILE"]) expect(help.stdout).toContain(option);
        const missing = await runDiffInProcess([]);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toMatch(/^error: --base is required, e\.g\. --base origin\/main\n/);
    });

    it("lists the stacks there are for an unknown one", async () => {
        const result = await runDiffInProcess(["--base", "HEAD", "--stack", "staging"]);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^error: no stack file Pulumi\.staging\.yaml in .*: stacks here: dev, prod\n$/);
    });
});
