import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument, YAMLSeq } from "yaml";
import { compiledCli, runDiffInProcess } from "../helpers/cli";
import { securityDiffComment } from "../helpers/githubScript";
import { parseFlowchart } from "../helpers/mermaid";
import { PROJECT_DIR } from "../helpers/stack";
import { widestLine } from "../helpers/width";

type Change = (text: string) => string;

/** A scratch repository whose HEAD~1 holds the dev and prod stack files and HEAD the changed ones. */
function scratchRepo(changes: { dev?: Change; prod?: Change }): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q");
    git("config", "user.email", "test@example.com");
    git("config", "user.name", "test");
    const stacks = ["dev", "prod"] as const;
    const original = Object.fromEntries(stacks.map((stack) => [stack, fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")]));
    for (const stack of stacks) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), original[stack]!);
    git("add", ".");
    git("commit", "-qm", "base");
    for (const stack of stacks) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), (changes[stack] ?? ((text: string) => text))(original[stack]!));
    git("commit", "-q", "--allow-empty", "-am", "change");
    return dir;
}

/** Pulumi.prod.yaml with test/fixtures/diff/payments.yaml's namespace and flow added to its segmentation. */
function withPayments(text: string): string {
    const fixture = parseDocument(fs.readFileSync(path.join(__dirname, "..", "fixtures", "diff", "payments.yaml"), "utf8")).toJS() as { namespace: unknown; flow: unknown };
    const document = parseDocument(text);
    const list = (key: string) => document.getIn(["config", "aks-zero-trust:segmentation", key]) as YAMLSeq;
    list("namespaces").add(document.createNode(fixture.namespace));
    list("flows").add(document.createNode(fixture.flow));
    return document.toString();
}

// Each diff plans its stacks in child processes; compiled, as `npm run diff` runs, they take a third of the CPU time.
// Identical plans (the unchanged base side) are shared through the run's plan cache (cli/common/planCache.ts).
const diff = (args: readonly string[], cwd: string) => compiledCli("diff", args, cwd);

const DOCS_CI = path.join(PROJECT_DIR, "docs", "ci.md");
const SAMPLE = /(<!-- sample: test\/cli\/diff\.test\.ts -->\n\n````markdown\n)([\s\S]*?)(\n````\n)/;

describe("npm run diff", () => {
    // End to end on scratch commits (each run plans both sides: seconds); test/report/securityDiff.test.ts covers the decisions in-process.
    it("blocks a flow from the web tier into the data tier: verdict first, both mandatory policies, the edge in the picture, non-zero exit", () => {
        const dir = scratchRepo({ dev: (text) => text.replace(
            "      - from: shop/backend\n        to: shop/database\n        ports: [5432]\n",
            "      - from: shop/backend\n        to: shop/database\n        ports: [5432]\n      - from: shop/frontend\n        to: shop/database\n        ports: [5432]\n",
        ) });
        const result = diff(["--base", "HEAD~1", "--stack", "dev", "--format", "md", "--fail-on", "mandatory"], dir);
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
        // The change touches only dev: prod's section is one line.
        const prod = diff(["--base", "HEAD~1", "--stack", "prod", "--format", "md", "--fail-on", "mandatory"], dir);
        expect(prod.stderr).toBe("");
        expect(prod.stdout).toBe("prod: no security change (policy pack PASS, intent check PASS)\n");
    });

    it("docs/ci.md's comment: payments starts in audit with FQDN egress and a flow on an undeclared port", async () => {
        const dir = scratchRepo({ prod: withPayments });
        const prod = diff(["--base", "HEAD~1", "--stack", "prod", "--format", "md", "--fail-on", "mandatory"], dir);
        const dev = diff(["--base", "HEAD~1", "--stack", "dev", "--format", "md", "--fail-on", "mandatory"], dir);
        expect([prod.status, prod.stderr, dev.status, dev.stderr]).toEqual([0, "", 0, ""]);
        const lines = prod.stdout.split("\n");
        // The verdict leads with what audit means for the new namespace.
        expect(lines[2]).toMatch(/^\*\*payments starts in audit: everything is allowed and logged, egress still only through the firewall; enforce would allow \d+ connections; /);
        // payments' internet egress: one line for its one port set, with the FQDN the firewall allows it.
        const egress = lines.filter((line) => /^[+-] payments\/api\[Pod\] => (?!payments\/|kube-system\/|default\/)/.test(line));
        expect(egress).toEqual(["+ payments/api[Pod] => internet : TCP 443 via firewall: api.adyen.com"]);
        expect(prod.stdout).not.toContain("[External]");
        // The picture's edge to the internet carries the FQDN, and Mermaid parses it.
        const mermaid = /```mermaid\n([\s\S]*?)```/.exec(prod.stdout)?.[1] ?? "";
        const parsed = await parseFlowchart(mermaid);
        const internet = [...parsed.vertices.values()].find((vertex) => vertex.text === "internet")!;
        expect(parsed.edges.filter((edge) => edge.end === internet.id).map((edge) => edge.text)).toEqual(["+ TCP 443 via firewall: api.adyen.com"]);
        expect(parsed.subgraphs.find((subgraph) => subgraph.title === "payments (audit)")).toBeDefined();
        // The plan's warning travels into the diff.
        expect(prod.stdout).toContain("<summary>Warnings</summary>\n\n```diff\n! flow shop/backend -> payments/api on TCP 8081: payments/api does not declare that port (it declares TCP 8080 (http))\n```");
        expect(dev.stdout).toBe("dev: no security change (policy pack PASS, intent check PASS)\n");
        // docs/ci.md shows this very comment, as the workflow's own script builds it. UPDATE_DOCS=1 rewrites the sample.
        const comment = await securityDiffComment({ dev: dev.stdout, prod: prod.stdout }, { BASE_REF: "main", HEAD_SHA: "3f1c2e9" });
        expect(comment.length).toBeLessThanOrEqual(65_536);
        const docs = fs.readFileSync(DOCS_CI, "utf8");
        expect(SAMPLE.test(docs), "docs/ci.md has a sample marked <!-- sample: test/cli/diff.test.ts -->").toBe(true);
        if (process.env.UPDATE_DOCS === "1") fs.writeFileSync(DOCS_CI, docs.replace(SAMPLE, (_, open: string, _old: string, close: string) => `${open}${comment}${close}`));
        expect(SAMPLE.exec(fs.readFileSync(DOCS_CI, "utf8"))?.[2], "docs/ci.md's sample comment is stale: run UPDATE_DOCS=1 npx vitest run test/cli/diff.test.ts").toBe(comment);
    });

    it("lists an FQDN added to a workload under internet egress, and passes --fail-on mandatory", () => {
        const dir = scratchRepo({ dev: (text) => text.replace("                - fqdn: api.stripe.com\n", "                - fqdn: api.stripe.com\n                - fqdn: hooks.slack.com\n") });
        const result = diff(["--base", "HEAD~1", "--stack", "dev", "--fail-on", "mandatory"], dir);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        // The verdict, wrapped at 120 columns.
        expect(result.stdout.split("\n").slice(0, 2)).toEqual(["Security diff of stack dev: internet egress: adds FQDN hooks.slack.com Https:443 (shop/backend); policy pack PASS;", "  intent check PASS"]);
        expect(result.stdout).toContain("To the internet (0 opened, 0 closed, 1 FQDN added, 0 removed):\n  + FQDN hooks.slack.com Https:443 (shop/backend)\n    the firewall allows shop/backend: api.stripe.com Https:443, hooks.slack.com Https:443\n");
        expect(result.stdout).toContain("+ workload-egress/workload-fqdns/shop-backend: 10.10.16.0/22 -> api.stripe.com, hooks.slack.com (Https:443)");
        expect(widestLine(result.stdout)).toBeLessThanOrEqual(120);
    });

    it("puts the reason in the pull-request comment when the working tree's stack file has a YAML slip (an unquoted *.stripe.com)", () => {
        const dir = scratchRepo({ dev: (text) => text.replace("- fqdn: api.stripe.com", "- fqdn: *.stripe.com") });
        const result = diff(["--base", "HEAD~1", "--stack", "dev", "--format", "md"], dir);
        expect(result.status).toBe(1);
        expect(result.stdout).toMatch(/^### Security diff: `dev`\n\n\*\*cannot compute the diff:\*\*\n\n```\ncannot plan Pulumi\.dev\.yaml in the working tree:\nerror: \S*Pulumi\.dev\.yaml:\d+:25: \*\.stripe\.com is a YAML alias .*quote it: "\*\.stripe\.com"\n```\n$/);
        expect(result.stderr).not.toContain("internal error");
    });

    it("refuses a Kubernetes change that skips a minor (1.35 -> 1.37) under --fail-on mandatory, quoting AKS's rule", () => {
        const dir = scratchRepo({ dev: (text) => text.replace('kubernetesVersion: "1.36"', 'kubernetesVersion: "1.37"') });
        // The base is 1.35: rewrite HEAD~1's file through a fresh commit pair.
        const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
        const head = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), head.replace('kubernetesVersion: "1.37"', 'kubernetesVersion: "1.35"'));
        git("commit", "-qam", "base at 1.35");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), head);
        const result = diff(["--base", "HEAD", "--stack", "dev", "--fail-on", "mandatory"], dir);
        expect(result.stderr).toBe("error: the change to stack dev asks AKS for Kubernetes 1.35 -> 1.37, which AKS refuses (--fail-on mandatory)\n");
        expect(result.status).toBe(1);
        // The text output keeps to 120 columns: the quote wraps, indented under its line.
        expect(result.stdout.replace(/\n {4}/g, " ")).toContain("blocks merge: Kubernetes 1.35 -> 1.37:\n  Kubernetes 1.35 -> 1.37 skips 1.36: upgrade one minor at a time (1.35 -> 1.36 first). AKS: \"When you upgrade a supported AKS cluster, Kubernetes minor versions cannot be skipped.");
    });

    it("fails clearly for an unknown base revision", () => {
        const dir = scratchRepo({});
        const result = diff(["--base", "no-such-ref"], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^error: cannot read Pulumi\.dev\.yaml at no-such-ref: /);
    });

    it("rejects an unknown --fail-on level", () => {
        const result = diff(["--base", "HEAD", "--fail-on", "advisory"], PROJECT_DIR);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^error: --fail-on must be mandatory, got "advisory"\n/);
    });

    it("refuses a --today that is not a day as a command-line mistake, before planning either side", async () => {
        const result = await runDiffInProcess(["--base", "HEAD", "--today", "yesterday"]);
        expect(result.status).toBe(2);
        expect(result.stderr).toBe('error: --today must be a day written YYYY-MM-DD, got "yesterday"\n');
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
