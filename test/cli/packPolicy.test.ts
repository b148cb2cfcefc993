import type { Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { PolicyPackBuildError, npmPackageOf, packPolicyCommand, shrinkwrapFrom, undeclaredImports } from "../../cli/packPolicy";
import { runCommand } from "../../cli/common/command";

/** A metafile as esbuild writes it: what each source imports, and what each output still requires. */
function metafile(inputs: Record<string, string[]>, required: string[]): Metafile {
    return {
        inputs: Object.fromEntries(Object.entries(inputs).map(([file, imports]) => [file, { bytes: 1, imports: imports.map((path) => ({ path, kind: "import-statement" as const, external: true })) }])),
        outputs: { "dist/policy-pack/policies.js": { bytes: 1, inputs: {}, exports: [], imports: required.map((path) => ({ path, kind: "require-call" as const, external: true })) } },
    };
}

describe("npm run pack:policy refuses a pack that would not stand alone", () => {
    it("names the source files that import a package the pack does not declare", () => {
        const meta = metafile({ "reach/input/load.ts": ["yaml", "node:fs"], "core/intent/segmentationIntent.ts": ["zod", "./errors"] }, ["yaml", "zod", "node:fs", "fs", "./policies.js"]);
        expect(undeclaredImports(meta, { zod: "^4.6.7" })).toEqual([
            `reach/input/load.ts import "yaml", but "yaml" is not in policy-pack/package.json dependencies: add it there (same range as the project's package.json) and run npm install in policy-pack/`,
        ]);
        // A type-only import esbuild dropped ("./errors") is in the inputs but not required by the output: not a problem.
        expect(undeclaredImports(meta, { zod: "^4.6.7", yaml: "^2.9.1" })).toEqual([]);
    });

    it("names a relative import left outside the bundle", () => {
        expect(undeclaredImports(metafile({ "policy-pack/index.ts": ["../core/config"] }, ["../core/config"]), {})).toEqual([`policy-pack/index.ts import "../core/config", a path outside the built pack`]);
    });

    it("reads package names from import paths, and leaves Node.js built-ins alone", () => {
        expect(["@pulumi/policy/proxy", "zod/v4", "ipaddr.js", "node:fs", "path"].map(npmPackageOf)).toEqual(["@pulumi/policy", "zod", "ipaddr.js", undefined, undefined]);
    });

    it("derives the shrinkwrap from the pack's lock file without dev-only packages, and rejects a stale lock", () => {
        const lock = {
            lockfileVersion: 3,
            packages: {
                "": { name: "pack", version: "0.1.0", dependencies: { zod: "^4.6.7" }, devDependencies: { typescript: "~5.9.3" } },
                "node_modules/zod": { version: "4.6.7" },
                "node_modules/typescript": { version: "5.9.3", devOptional: true },
                "node_modules/@types/node": { version: "20.19.43", dev: true },
            },
        };
        expect(shrinkwrapFrom(lock, { name: "pack", version: "0.2.0", dependencies: { zod: "^4.6.7" } })).toEqual({
            lockfileVersion: 3,
            name: "pack",
            version: "0.2.0",
            packages: { "": { name: "pack", version: "0.2.0", dependencies: { zod: "^4.6.7" } }, "node_modules/zod": { version: "4.6.7" } },
        });
        expect(() => shrinkwrapFrom(lock, { name: "pack", version: "0.1.0", dependencies: { zod: "^4.6.7", yaml: "^2.9.1" } })).toThrow(PolicyPackBuildError);
        expect(() => shrinkwrapFrom(lock, { name: "pack", version: "0.1.0", dependencies: { zod: "^4.6.7", yaml: "^2.9.1" } })).toThrow(/policy-pack\/package-lock\.json does not match policy-pack\/package\.json dependencies .*run npm install in policy-pack\//);
    });
});

describe("npm run pack:policy's command line", () => {
    /** The command in-process, as `npm run pack:policy -- ARGS` runs it. */
    async function packPolicy(args: string[]) {
        let stdout = "";
        let stderr = "";
        const status = await runCommand(packPolicyCommand, args, { out: (text) => { stdout += text; }, err: (text) => { stderr += text; }, errIsTerminal: false }, [PolicyPackBuildError]);
        return { status, stdout, stderr };
    }

    it("--help describes --out with an example and builds nothing; a slip names the nearest option, exit code 2", async () => {
        const help = await packPolicy(["--help"]);
        expect(help.status).toBe(0);
        expect(help.stderr).toBe("");
        expect(help.stdout).toMatch(/^usage: npm run pack:policy -- \[--out DIR\]\n/);
        expect(help.stdout).toContain("e.g. --out /tmp/pack");
        const slip = await packPolicy(["--hlep"]);
        expect(slip.status).toBe(2);
        expect(slip.stderr).toMatch(/^error: unknown option --hlep \(did you mean --help\?\)\nusage: npm run pack:policy -- \[--out DIR\]\n/);
    });
});
