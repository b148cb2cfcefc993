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
    it("reports exactly the connection a new flow opens, with a verdict first", () => {
        const dir = scratchRepo((text) => text.replace(
            "      - from: shop/backend\n        to: shop/database\n        ports: [5432]\n",
            "      - from: shop/backend\n        to: shop/database\n        ports: [5432]\n      - from: shop/frontend\n        to: shop/database\n        ports: [5432]\n",
        ));
        const result = runCli("cli/diff.ts", ["--base", "HEAD~1", "--stack", "dev", "--format", "md"], dir);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        const lines = result.stdout.split("\n");
        expect(lines[2]).toBe("**opens 1 connection; intent check PASS**");
        expect(lines.filter((line) => /^[+-] /.test(line))).toEqual(["+ shop/frontend[Pod] => shop/database[Pod] : TCP 5432"]);
    });

    it("names added FQDNs and the rules that carry them", () => {
        const dir = scratchRepo((text) => text.replace("                - fqdn: api.stripe.com\n", "                - fqdn: api.stripe.com\n                - fqdn: hooks.slack.com\n"));
        const result = runCli("cli/diff.ts", ["--base", "HEAD~1", "--stack", "dev"], dir);
        expect(result.status).toBe(0);
        expect(result.stdout.split("\n")[0]).toBe("Security diff of stack dev: adds FQDN hooks.slack.com; intent check PASS");
        expect(result.stdout).toContain("+ workload-egress/workload-fqdns/shop-backend: 10.10.16.0/22 -> api.stripe.com, hooks.slack.com (Https:443)");
    });

    it("reports a namespace moving from audit to enforce", () => {
        const dir = scratchRepo((text) => text.replace("    defaultMode: audit\n", "    defaultMode: enforce\n"));
        const result = runCli("cli/diff.ts", ["--base", "HEAD~1", "--stack", "dev"], dir);
        expect(result.status).toBe(0);
        expect(result.stdout.split("\n")[0]).toBe("Security diff of stack dev: switches shop: audit -> enforce; intent check PASS");
    });

    it("fails clearly for an unknown base revision", () => {
        const dir = scratchRepo((text) => text);
        const result = runCli("cli/diff.ts", ["--base", "no-such-ref"], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^error: cannot read Pulumi\.dev\.yaml at no-such-ref: /);
    });
});
