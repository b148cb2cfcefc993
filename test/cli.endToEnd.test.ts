/** The command-line tools as real processes: what a user's shell sees (pipes, exit codes, stderr). */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "./helpers/stack";

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
        expect(result.stderr).toBe("error: Invalid stack config (1 problem):\n  - aks-zero-trust:cluster.dnsServiceIp: 10.97.0.10 is outside the service CIDR 10.96.0.0/16 (cluster.serviceCidr)\n");
    });

    it("names the commands it knows when given another, with exit code 2", () => {
        const result = spawnSync(process.execPath, [BIN, "apply"], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 });
        expect(result.status).toBe(2);
        expect(result.stderr).toBe('error: unknown command "apply"\nusage: npx aks-zero-trust plan|diff|suggest|review|reach [options]   (the options of npm run plan, diff, suggest, review, reach)\n');
    });
});
