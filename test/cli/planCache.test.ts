/**
 * The test runs' plan cache (cli/common/planCache.ts): a plan is answered from it only for the same program, stack
 * file bytes, options and judgement day, and never when AKS_ZERO_TRUST_PLAN_CACHE is unset (what users run).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { claimCachedPlan, PLAN_CACHE_VARIABLE, planCacheInputs, planCacheKey, storeCachedPlan } from "../../cli/common/planCache";
import { planningProgram, planStackJson, PlanProcessError } from "../../cli/common/planProcess";
import { PROJECT_DIR } from "../helpers/stack";

const NOW = new Date("2026-12-07T12:00:00Z");
const DEV = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

function folderWith(files: Record<string, string>): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cache-test-"));
    folders.push(folder);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
    return folder;
}

function key(args: readonly string[], env: NodeJS.ProcessEnv = { SOURCE_DATE_EPOCH: "1796601600" }, program = "program", now = NOW): string | undefined {
    const inputs = planCacheInputs(program, args, env, now);
    return inputs && planCacheKey(inputs);
}

const variable = process.env[PLAN_CACHE_VARIABLE];
afterEach(() => {
    if (variable === undefined) delete process.env[PLAN_CACHE_VARIABLE];
    else process.env[PLAN_CACHE_VARIABLE] = variable;
});

describe("the plan cache's key", () => {
    it("is the stack file's bytes, not its path, and changes with every input that changes the plan", () => {
        const one = path.join(folderWith({ "Pulumi.dev.yaml": DEV }), "Pulumi.dev.yaml");
        const two = path.join(folderWith({ "Pulumi.dev.base.yaml": DEV, "edited.yaml": DEV.replace("api.stripe.com", "api.stripe.org") }), "Pulumi.dev.base.yaml");
        const edited = path.join(path.dirname(two), "edited.yaml");
        const base = ["--stack", "dev", "--config", one, "--format", "json"];
        expect(key(["--stack", "dev", "--config", two, "--format", "json"])).toBe(key(base));
        const others = [
            key(["--stack", "dev", "--config", edited, "--format", "json"]),
            key(["--stack", "prod", "--config", one, "--format", "json"]),
            key([...base, "--today", "2027-07-15"]),
            key([...base, "--verbose"]),
            key(["--stack", "dev", "--config", one, "--policy-pack-config", path.join(PROJECT_DIR, "policy-pack", "policy-config.dev.json"), "--format", "json"]),
            key(base, { SOURCE_DATE_EPOCH: "1796688000" }),
            key(base, { SOURCE_DATE_EPOCH: "1796601600", PULUMI_CONFIG: '{"aks-zero-trust:location":"westeurope"}' }),
            key(base, {}),
            key(base, {}, "program", new Date("2026-12-08T12:00:00Z")),
            key(base, undefined, "another program"),
        ];
        expect(new Set([key(base), ...others]).size).toBe(others.length + 1);
        // Without SOURCE_DATE_EPOCH the clock decides, by the day.
        expect(key(base, {}, "program", new Date("2026-12-07T23:59:00Z"))).toBe(key(base, {}));
    });

    it("is none for a plan that writes files (--out) or has an option the cache does not know", () => {
        expect(key(["--stack", "dev", "--out", os.tmpdir(), "--format", "json"])).toBeUndefined();
        expect(key(["--stack=dev", "--format", "json"])).toBeUndefined();
        expect(key(["--stack"])).toBeUndefined();
    });
});

describe("the plan cache", () => {
    it("stores no plan whose output names its stack file's folder, name or path, or the working folder", () => {
        const cache = folderWith({});
        const stackFolder = folderWith({ "Pulumi.dev.yaml": DEV });
        const args = ["--stack", "dev", "--config", path.join(stackFolder, "Pulumi.dev.yaml"), "--format", "json"];
        for (const named of [stackFolder, "Pulumi.dev.yaml", "/work/elsewhere"]) storeCachedPlan(cache, "named", JSON.stringify({ warnings: [`see ${named}`] }), args, "/work/elsewhere");
        expect(fs.readdirSync(cache)).toEqual([]);
        storeCachedPlan(cache, "clean", JSON.stringify({ warnings: [] }), args, "/work/elsewhere");
        expect(fs.readdirSync(cache)).toEqual(["clean.json"]);
    });

    it("makes a plan under way elsewhere wait for it, and lets it be made again when its maker gives up", async () => {
        const cache = folderWith({});
        const first = await claimCachedPlan(cache, "k");
        expect(first.cached).toBeUndefined();
        const second = claimCachedPlan(cache, "k");
        storeCachedPlan(cache, "k", '{"plan":1}', [], "/work/elsewhere");
        first.release();
        expect((await second).cached).toBe('{"plan":1}');
        // A maker whose plan failed stores nothing: the next claimant makes it.
        const failing = await claimCachedPlan(cache, "failing");
        const next = claimCachedPlan(cache, "failing");
        failing.release();
        expect((await next).cached).toBeUndefined();
    });

    it("answers a plan it holds only while the variable names it: unset, the child process plans", async () => {
        const cache = folderWith({});
        // A stack file that does not exist: the child process fails at once, the cache would answer at once.
        const missing = path.join(cache, "no-such-folder", "Pulumi.dev.yaml");
        const held = key(["--stack", "dev", "--config", missing, "--format", "json"], process.env, planningProgram(false, PROJECT_DIR), new Date())!;
        fs.writeFileSync(path.join(cache, `${held}.json`), JSON.stringify({ security: { held: true } }));
        process.env[PLAN_CACHE_VARIABLE] = cache;
        expect(await planStackJson("dev", missing, "the missing stack")).toEqual({ security: { held: true } });
        delete process.env[PLAN_CACHE_VARIABLE];
        await expect(planStackJson("dev", missing, "the missing stack")).rejects.toThrow(PlanProcessError);
    });

    it("stores a plan the child process made, and no failed one", async () => {
        const cache = folderWith({});
        process.env[PLAN_CACHE_VARIABLE] = cache;
        const stackFolder = folderWith({ "Pulumi.dev.yaml": DEV, "broken.yaml": DEV.replace("- fqdn: api.stripe.com", "- fqdn: *.stripe.com") });
        await expect(planStackJson("dev", path.join(stackFolder, "broken.yaml"), "the broken stack")).rejects.toThrow(PlanProcessError);
        expect(fs.readdirSync(cache)).toEqual([]);
        const plan = await planStackJson("dev", path.join(stackFolder, "Pulumi.dev.yaml"), "dev");
        expect(plan.security).toBeDefined();
        const entries = fs.readdirSync(cache);
        expect(entries).toHaveLength(1);
        expect(JSON.parse(fs.readFileSync(path.join(cache, entries[0]!), "utf8"))).toEqual(plan);
    });
});
