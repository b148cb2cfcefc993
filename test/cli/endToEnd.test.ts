/** The command-line tools as real processes: what a user's shell sees (pipes, exit codes, stderr). */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_COMMANDS } from "../helpers/commands";
import { PROJECT_DIR } from "../helpers/stack";
import { widestLine } from "../helpers/width";

/** `npx aks-zero-trust ARGS` without npx: the package's bin run by node, from the project folder. */
const BIN = path.join(PROJECT_DIR, "cli", "aks-zero-trust.cjs");

describe("the aks-zero-trust bin in a shell pipeline", () => {
    it("pipes the whole prod plan (more than 64 KiB) through a pipe, byte for byte what it writes to a file", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-pipe-")), "plan.json");
        const fd = fs.openSync(file, "w");
        const toFile = spawnSync(process.execPath, [BIN, "plan", "--stack", "prod", "--format", "json"], { cwd: PROJECT_DIR, stdio: ["ignore", fd, "pipe"], timeout: 120_000 });
        fs.closeSync(fd);
        expect(toFile.status).toBe(0);
        const written = fs.readFileSync(file);
        expect(written.length).toBeGreaterThan(64 * 1024);

        const toPipe = spawnSync(process.execPath, [BIN, "plan", "--stack", "prod", "--format", "json"], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
        expect(toPipe.status).toBe(0);
        expect(toPipe.stderr.toString()).toBe("");
        expect(toPipe.stdout.length).toBe(written.length);
        expect(JSON.parse(toPipe.stdout.toString()).summary).toEqual(JSON.parse(written.toString()).summary);
    });

    it("reports invalid config once, with exit code 1 and no stack trace", () => {
        const stackFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-bad-")), "Pulumi.dev.yaml");
        fs.writeFileSync(stackFile, fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8").replace("dnsServiceIp: 10.96.0.10", "dnsServiceIp: 10.97.0.10"));
        const result = spawnSync(process.execPath, [BIN, "plan", "--config", stackFile], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 120_000 });
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toBe(`error: Invalid stack config (1 problem):\n  - ${stackFile}:15:19: aks-zero-trust:cluster.dnsServiceIp: 10.97.0.10 is outside the service CIDR 10.96.0.0/16 (cluster.serviceCidr)\n`);
    });

    it("refuses an unquoted *.stripe.com with file:line:column and the advice to quote it, writing nothing", () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "plan-alias-"));
        const stackFile = path.join(folder, "Pulumi.dev.yaml");
        fs.writeFileSync(stackFile, fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8").replace("- fqdn: api.stripe.com", "- fqdn: *.stripe.com"));
        const out = path.join(folder, "out");
        const result = spawnSync(process.execPath, [BIN, "plan", "--config", stackFile, "--out", out], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 120_000 });
        expect(result.status).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(new RegExp(`^error: ${stackFile.replace(/[.]/g, "\\.")}:\\d+:25: \\*\\.stripe\\.com is a YAML alias .*quote it: "\\*\\.stripe\\.com"\\n$`));
        expect(result.stderr).not.toContain("internal error");
        expect(fs.existsSync(out)).toBe(false);
    });

    it("names the commands it knows when given another, and the nearest, with exit code 2", () => {
        const result = spawnSync(process.execPath, [BIN, "apply"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 });
        expect(result.status).toBe(2);
        expect(result.stderr).toBe('error: unknown command "apply"\nusage: npx aks-zero-trust <command> [options]; commands: plan, diff, suggest, review, drift, reach, bench (npx aks-zero-trust --help)\n');
        expect(spawnSync(process.execPath, [BIN, "plna"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 }).stderr).toMatch(/^error: unknown command "plna" \(did you mean "plan"\?\)\n/);
        const option = spawnSync(process.execPath, [BIN, "--versoin"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 });
        expect(option.status).toBe(2);
        expect(option.stderr).toMatch(/^error: unknown option "--versoin" \(did you mean "--version"\?\)\n/);
    });

    it("lists its commands on --help and prints its version, exit code 0", () => {
        const help = spawnSync(process.execPath, [BIN, "--help"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 });
        expect(help.status).toBe(0);
        for (const command of BIN_COMMANDS) expect(help.stdout).toMatch(new RegExp(`\\n  ${command} +\\S`));
        expect(widestLine(help.stdout)).toBeLessThanOrEqual(120);
        expect(help.stdout).toContain("exit codes: 0 done, 1 invalid input or a failed check, 2 command-line mistake, 3 internal error");
        const version = spawnSync(process.execPath, [BIN, "--version"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 });
        expect(version.status).toBe(0);
        expect(version.stdout).toBe(`aks-zero-trust ${JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).version}\n`);
    });

    // The other commands' help, in both forms, is checked in-process (test/cli/commandLine.test.ts).
    it("shows a command's help in the form the user typed (npx), exit code 0, running nothing", () => {
        for (const command of BIN_COMMANDS) {
            const result = spawnSync(process.execPath, [BIN, command, "--help"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 });
            expect(result.status, command).toBe(0);
            expect(result.stdout, command).toMatch(new RegExp(`^usage: npx aks-zero-trust ${command} `));
            expect(result.stdout, command).toContain("options:\n");
            expect(result.stdout, command).not.toMatch(/^N=1 |^Offline plan/m);
            expect(widestLine(result.stdout), command).toBeLessThanOrEqual(120);
        }
        // `help plan` is `plan --help`, as in git and kubectl.
        const help = spawnSync(process.execPath, [BIN, "help", "plan"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 });
        expect(help.status).toBe(0);
        expect(help.stdout).toMatch(/^usage: npx aks-zero-trust plan /);
    });
});
