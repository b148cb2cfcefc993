import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import Module, { builtinModules, createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACK_FILES, buildPolicyPack, type PolicyPackBuild } from "../../cli/packPolicy";
import type { MockRun } from "../../offline/runtime";
import { runPolicies, runPolicyPack, urnOf } from "../../offline/runtime";
// Judge dates as the offline plan does (the calendar's read date), so the built pack and the sources agree on any day.
import { AKS_VERSION_CALENDAR_READ_ON } from "../../core/azure";
import type { PackContext, Policies } from "../../policy-pack/policies";
import { PROJECT_DIR, runStack, single } from "../helpers/stack";
import { networkPolicy } from "./harness";
import { RunningPolicyPack, wireResource } from "./runtime";

/**
 * What `pulumi policy publish` uploads, checked where the project cannot help: `npm run pack:policy`'s tarball
 * is extracted into a temporary folder outside the repository and its production dependencies are installed
 * there, as the CLI does for a pack enabled in a policy group. `npm ci --prefer-offline` installs the versions
 * the tarball's npm-shrinkwrap.json pins from the npm cache that the project's `npm ci` filled (the same
 * versions policy-pack/package-lock.json holds), so this needs the network no more than `npm ci` does.
 */

/** One module resolution made on behalf of a file of the installed pack. */
interface Resolution {
    readonly request: string;
    readonly from: string;
    readonly resolved: string;
}

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename; _cache: Record<string, unknown> };

const isInside = (root: string, file: string) => {
    const relative = path.relative(root, file);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
};

/** The environment for a child npm: the parent npm's run-script settings (npm_*) could point it elsewhere. */
function npmEnvironment(): NodeJS.ProcessEnv {
    const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
    return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keep.has(key.toLowerCase())));
}

/** Every module specifier a built JavaScript file requires or imports (statements and calls, not text in strings). */
function importedSpecifiers(source: string): string[] {
    const patterns = [
        /(?<![\w$.])require\(\s*["']([^"'`]+)["']\s*\)/g,
        /(?<![\w$.])import\(\s*["']([^"'`]+)["']\s*\)/g,
        /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm,
        /^\s*import\s*["']([^"']+)["']/gm,
    ];
    return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]));
}

function filesUnder(dir: string, skip: (relative: string) => boolean, base = dir): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        const relative = path.relative(base, full);
        if (skip(relative)) return [];
        return entry.isDirectory() ? filesUnder(full, skip, base) : [relative];
    });
}

describe("the published policy pack, extracted alone and installed", () => {
    let work: string;
    let built: PolicyPackBuild;
    let root: string;
    let builtPolicies: { createPolicies(context?: PackContext): Policies };
    let run: MockRun;
    const resolutions: Resolution[] = [];
    const loadedFiles: string[] = [];
    let restoreResolver: (() => void) | undefined;

    beforeAll(async () => {
        work = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), "aks-zero-trust-policy-pack-"));
        built = await buildPolicyPack({ projectDir: PROJECT_DIR, outDir: path.join(work, "dist") });
        const extracted = path.join(work, "installed");
        fs.mkdirSync(extracted);
        execFileSync("tar", ["-xzf", built.tarball, "-C", extracted]);
        root = path.join(extracted, "package");
        execFileSync("npm", ["ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root, env: npmEnvironment(), stdio: ["ignore", "ignore", "pipe"] });

        // Record every resolution a file of the installed pack makes, while it loads and while its policies run.
        const original = moduleInternals._resolveFilename;
        moduleInternals._resolveFilename = function (this: unknown, request, parent, ...rest) {
            const resolved = original.call(this, request, parent, ...rest);
            if (parent?.filename && isInside(root, parent.filename)) resolutions.push({ request, from: parent.filename, resolved });
            return resolved;
        } as ResolveFilename;
        restoreResolver = () => (moduleInternals._resolveFilename = original);
        const cachedBefore = new Set(Object.keys(moduleInternals._cache));
        builtPolicies = createRequire(path.join(root, "package.json"))("./policies.js");
        loadedFiles.push(...Object.keys(moduleInternals._cache).filter((file) => !cachedBefore.has(file)));
        run = await runStack("prod");
    }, 240_000);

    afterAll(() => {
        restoreResolver?.();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("is extracted outside the repository, and holds the built pack only, at the version of policy-pack/package.json", () => {
        expect(isInside(PROJECT_DIR, root)).toBe(false);
        expect(built.files).toEqual([...PACK_FILES, "package.json"].sort());
        const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const source = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy-pack", "package.json"), "utf8"));
        expect({ name: manifest.name, version: manifest.version, main: manifest.main, dependencies: manifest.dependencies }).toEqual({ name: source.name, version: source.version, main: "index.js", dependencies: source.dependencies });
        // The install scripts the pack's dependencies carry stay decided (npm 11 warns on the install otherwise).
        expect(manifest.allowScripts).toEqual(source.allowScripts);
        expect(Object.keys(source.allowScripts)).toContain("protobufjs");
        expect(path.basename(built.tarball)).toBe(`${source.name}-${source.version}.tgz`);
        // The engine's packages: the project's ranges, so the pack runs what the project's tests run.
        const project = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
        const shared = Object.keys(source.dependencies).filter((name) => name in project.dependencies);
        expect(shared).toEqual(expect.arrayContaining(["zod"]));
        expect(Object.fromEntries(shared.map((name) => [name, source.dependencies[name]]))).toEqual(Object.fromEntries(shared.map((name) => [name, project.dependencies[name]])));
    });

    it("imports nothing outside itself: every relative import stays inside, every package is a declared dependency", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const declared = new Set(Object.keys(manifest.dependencies));
        const scanned = filesUnder(root, (relative) => relative === "node_modules").filter((file) => /\.[cm]?js$/.test(file));
        expect(scanned.sort()).toEqual(["index.js", "policies.js"]);
        const problems: string[] = [];
        const packages = new Set<string>();
        for (const file of scanned) {
            for (const specifier of importedSpecifiers(fs.readFileSync(path.join(root, file), "utf8"))) {
                if (specifier.startsWith(".") || path.isAbsolute(specifier)) {
                    const target = path.resolve(root, path.dirname(file), specifier);
                    if (!isInside(root, target) || !fs.existsSync(target)) problems.push(`${file}: ${specifier}`);
                } else if (!specifier.startsWith("node:") && !builtinModules.includes(specifier.split("/")[0])) {
                    const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
                    packages.add(name);
                    if (!declared.has(name)) problems.push(`${file}: ${specifier} (not a dependency)`);
                }
            }
        }
        expect(problems).toEqual([]);
        // The scan sees the pack's own imports: the policy SDK in the entry, the engine's packages in the policies.
        expect([...packages]).toEqual(expect.arrayContaining(["@pulumi/policy", "zod"]));
    });

    it("runs the same policies as the sources, with the same results: a pass on prod, and a violation", () => {
        const policies = builtPolicies.createPolicies({ stackEnvironment: "prod", today: () => AKS_VERSION_CALENDAR_READ_ON });
        expect(policies.map((policy) => [policy.name, policy.enforcementLevel])).toEqual(runPolicyPack(run, { stack: "prod", environment: "prod" }).map((result) => [result.policy, result.enforcementLevel]));

        const clean = runPolicies(policies, run, { stack: "prod" });
        expect(clean.find((result) => result.policy === "aks-network-profile")).toEqual({ policy: "aks-network-profile", enforcementLevel: "mandatory", violations: [] });
        expect(clean).toEqual(runPolicyPack(run, { stack: "prod", environment: "prod" }));

        const cluster = single(run, "azure-native:containerservice:ManagedCluster");
        const inputs = structuredClone(cluster.inputs) as { networkProfile: Record<string, unknown> };
        inputs.networkProfile.networkPolicy = "azure";
        const withoutCalico: MockRun = { ...run, resources: run.resources.map((resource) => (resource === cluster ? { ...cluster, inputs } : resource)) };
        const failed = runPolicies(builtPolicies.createPolicies({ stackEnvironment: "prod", today: () => AKS_VERSION_CALENDAR_READ_ON }), withoutCalico, { stack: "prod" });
        expect(failed.find((result) => result.policy === "aks-network-profile")).toEqual({
            policy: "aks-network-profile",
            enforcementLevel: "mandatory",
            violations: [{ message: expect.stringMatching(/^networkProfile\.networkPolicy is "azure": it does not enforce/), resource: urnOf(cluster, run) }],
        });
        expect(failed).toEqual(runPolicyPack(withoutCalico, { stack: "prod", environment: "prod" }));
    });

    it("runs the reachability engine it carries: the data tier reaching the internet is a violation", () => {
        const internet = networkPolicy("database-egress", "shop", {
            podSelector: { matchLabels: { app: "database", tier: "data" } },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] }],
        });
        const withInternet: MockRun = { ...run, resources: [...run.resources, internet] };
        const results = runPolicies(builtPolicies.createPolicies({ stackEnvironment: "prod", today: () => AKS_VERSION_CALENDAR_READ_ON }), withInternet, { stack: "prod" });
        const egress = results.find((result) => result.policy === "data-tier-egress-dns-only");
        // ipBlock 0.0.0.0/0 holds pod IPs too (Calico matches it on the packet's address): unisolated kube-system pods are reached as well.
        const messages = egress?.violations.map((violation) => violation.message);
        // The platform-address guardrail takes IMDS and WireServer out of the range, in every mode.
        expect(messages).toContainEqual(expect.stringMatching(/^shop\/database => 0\.0\.0\.0-168\.63\.129\.15, 168\.63\.129\.17-169\.254\.169\.253, 169\.254\.169\.255-255\.255\.255\.255 : TCP 443\. /));
        expect(messages).toContainEqual(expect.stringMatching(/^shop\/database => kube-system\/any-pod : TCP 443\. /));
        expect(results).toEqual(runPolicyPack(withInternet, { stack: "prod", environment: "prod" }));
    });

    it("resolved every module it loaded inside the extracted folder", () => {
        expect(resolutions.length).toBeGreaterThan(0);
        expect(resolutions.map((resolution) => resolution.request)).toEqual(expect.arrayContaining(["./policies.js", "zod"]));
        const outside = resolutions.filter((resolution) => path.isAbsolute(resolution.resolved) && !isInside(root, resolution.resolved));
        expect(outside).toEqual([]);
        expect(loadedFiles).toContain(path.join(root, "policies.js"));
        expect(loadedFiles.filter((file) => !isInside(root, file))).toEqual([]);
    });

    it("starts under Pulumi's policy runtime from its own folder and reports its name, version and policies, as publish asks it", async () => {
        const pack = await RunningPolicyPack.start({ PULUMI_STACK: "prod" }, root);
        try {
            const info = await pack.info();
            expect({ name: info.name, version: info.version }).toEqual({ name: "aks-zero-trust", version: built.version });
            expect(info.policies.map((policy) => policy.name)).toEqual(builtPolicies.createPolicies().map((policy) => policy.name));
            const cluster = single(run, "azure-native:containerservice:ManagedCluster");
            const props = structuredClone(cluster.inputs) as { networkProfile: Record<string, unknown> };
            props.networkProfile.outboundType = "loadBalancer";
            expect((await pack.analyze(wireResource(cluster, urnOf(cluster, run), props))).map((diagnostic) => [diagnostic.policy, diagnostic.level])).toEqual([["aks-network-profile", "mandatory"]]);
            expect(await pack.analyze(wireResource(cluster, urnOf(cluster, run)))).toEqual([]);
        } finally {
            pack.stop();
        }
    });
});
