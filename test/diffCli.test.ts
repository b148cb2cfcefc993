import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli";
import { PROJECT_DIR } from "./helpers/stack";

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
        expect(result.stdout.split("\n")[0]).toBe("Security diff of stack dev: internet egress: adds FQDN hooks.slack.com Https:443 (shop/backend); policy pack PASS; intent check PASS");
        expect(result.stdout).toContain("To the internet (0 opened, 0 closed, 1 FQDN added, 0 removed):\n  + FQDN hooks.slack.com Https:443 (shop/backend)\n    the firewall allows shop/backend: api.stripe.com Https:443, hooks.slack.com Https:443\n");
        expect(result.stdout).toContain("+ workload-egress/workload-fqdns/shop-backend: 10.10.16.0/22 -> api.stripe.com, hooks.slack.com (Https:443)");
    });

    it("refuses a Kubernetes change that skips a minor (1.35 -> 1.37) under --fail-on mandatory, quoting AKS's rule", () => {
        const dir = scratchRepo((text) => text.replace('kubernetesVersion: "1.36"', 'kubernetesVersion: "1.37"'));
        // The base is 1.35: rewrite HEAD~1's file through a fresh commit pair.
        const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
        const head = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), head.replace('kubernetesVersion: "1.37"', 'kubernetesVersion: "1.35"'));
        git("commit", "-qam", "base at 1.35");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), head);
        const result = runCli("cli/diff.ts", ["--base", "HEAD", "--stack", "dev", "--fail-on", "mandatory"], dir);
        expect(result.stderr).toBe("error: the change to stack dev asks AKS for Kubernetes 1.35 -> 1.37, which AKS refuses (--fail-on mandatory)\n");
        expect(result.status).toBe(1);
        expect(result.stdout).toContain("blocks merge: Kubernetes 1.35 -> 1.37:\n  Kubernetes 1.35 -> 1.37 skips 1.36: upgrade one minor at a time (1.35 -> 1.36 first). AKS: \"When you upgrade a supported AKS cluster, Kubernetes minor versions cannot be skipped.");
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
});
