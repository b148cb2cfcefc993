import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { azureNames, projectConfigValues, readStackConfig } from "../../core/config";
import { readStackFile } from "../../offline/runtime";
import { runGithubScript, writes } from "../helpers/githubScript";

/**
 * The GitHub Actions workflows, read as data: the promises users rely on (what runs when, with which rights,
 * against which stacks) and the two github-script programs, run against a fake GitHub API.
 */

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const WORKFLOWS_DIR = path.join(PROJECT_DIR, ".github", "workflows");
const WORKFLOW_FILES = ["pull-request.yml", "deploy.yml", "drift.yml", "quarterly-review.yml"] as const;
type WorkflowFile = (typeof WORKFLOW_FILES)[number];

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly if?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Readonly<Record<string, unknown>>;
    readonly env?: Readonly<Record<string, string>>;
    readonly "continue-on-error"?: boolean;
}

interface Job {
    readonly "runs-on": string;
    readonly needs?: string | readonly string[];
    readonly if?: string;
    readonly environment?: string | { readonly name: string };
    readonly permissions?: Readonly<Record<string, string>> | string;
    readonly strategy?: { readonly matrix?: Readonly<Record<string, unknown>> };
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean } | string;
    readonly env?: Readonly<Record<string, string>>;
    readonly steps: readonly Step[];
}

interface Workflow {
    readonly on: Readonly<Record<string, unknown>>;
    readonly permissions?: Readonly<Record<string, string>> | string;
    readonly env?: Readonly<Record<string, string>>;
    readonly jobs: Readonly<Record<string, Job>>;
}

function workflowText(file: WorkflowFile): string {
    return fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
}

function workflow(file: WorkflowFile): Workflow {
    return parse(workflowText(file)) as Workflow;
}

function allJobs(): Array<{ file: WorkflowFile; name: string; job: Job }> {
    return WORKFLOW_FILES.flatMap((file) => Object.entries(workflow(file).jobs).map(([name, job]) => ({ file, name, job })));
}

/** The action a step uses, without its version: `pulumi/actions`. */
function actionOf(step: Step): string | undefined {
    return step.uses?.split("@")[0]?.toLowerCase();
}

function stepsUsing(job: Job, action: string): Step[] {
    return job.steps.filter((step) => actionOf(step) === action);
}

function onlyStepUsing(job: Job, action: string): Step {
    const steps = stepsUsing(job, action);
    expect(steps, `exactly one ${action} step`).toHaveLength(1);
    return steps[0]!;
}

/** Index of the first step matching, -1 when none does. */
function stepIndex(job: Job, matches: (step: Step) => boolean): number {
    return job.steps.findIndex(matches);
}

const runs = (pattern: RegExp) => (step: Step): boolean => step.run !== undefined && pattern.test(step.run);
const uses = (action: string) => (step: Step): boolean => actionOf(step) === action;

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : typeof job.needs === "string" ? [job.needs] : [...job.needs];
}

function environmentOf(job: Job): string | undefined {
    return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

function permissionsOf(job: Job): Record<string, string> {
    expect(typeof job.permissions, "permissions as a map, not read-all/write-all").toBe("object");
    return { ...(job.permissions as Record<string, string>) };
}

function githubScript(job: Job): string {
    const script = onlyStepUsing(job, "actions/github-script").with?.script;
    expect(typeof script).toBe("string");
    return script as string;
}


// ---------------------------------------------------------------------------------------------------------------

describe("every workflow", () => {
    it("sets up a Node version that package.json's engines allow (the dependencies need Node 22+)", () => {
        const engines = JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, "..", "..", "package.json"), "utf8")).engines.node as string;
        const minimumMajor = Number(/^>=(\d+)/.exec(engines)?.[1]);
        expect(minimumMajor).toBeGreaterThanOrEqual(22);
        for (const { file, name, job } of allJobs()) {
            for (const step of stepsUsing(job, "actions/setup-node")) {
                expect(Number(step.with?.["node-version"]), `${file} ${name}`).toBeGreaterThanOrEqual(minimumMajor);
            }
        }
    });

    it("grants nothing at the top and names each job's permissions; nothing is read-all or write-all", () => {
        for (const file of WORKFLOW_FILES) {
            expect(workflow(file).permissions, file).toEqual({});
            expect(workflowText(file), file).not.toMatch(/(read|write)-all/);
        }
        for (const { file, name, job } of allJobs()) {
            const permissions = permissionsOf(job);
            expect(permissions.contents, `${file} ${name}`).toBe("read");
            expect(Object.values(permissions).every((level) => level === "read" || level === "write"), `${file} ${name}`).toBe(true);
        }
    });

    it("asks for an OIDC token (id-token: write) exactly in the jobs that log in to Azure", () => {
        const loggingIn: string[] = [];
        for (const { file, name, job } of allJobs()) {
            const logsIn = stepsUsing(job, "azure/login").length > 0;
            if (logsIn) loggingIn.push(`${file}:${name}`);
            expect(permissionsOf(job)["id-token"], `${file} ${name}`).toBe(logsIn ? "write" : undefined);
        }
        expect(loggingIn.sort()).toEqual(["deploy.yml:dev", "deploy.yml:prod", "drift.yml:drift", "pull-request.yml:preview", "quarterly-review.yml:review"]);
    });

    it("may write pull requests only in the jobs that comment on them, and issues only in the drift check and the quarterly review", () => {
        const writers = (scope: string) => allJobs().filter(({ job }) => permissionsOf(job)[scope] === "write").map(({ file, name }) => `${file}:${name}`).sort();
        expect(writers("pull-requests")).toEqual(["pull-request.yml:preview", "pull-request.yml:security-diff"]);
        expect(writers("issues")).toEqual(["drift.yml:drift", "quarterly-review.yml:review"]);
    });

    it("has no client secret anywhere: OIDC only, no creds input, no *_CLIENT_SECRET", () => {
        for (const file of WORKFLOW_FILES) {
            expect(workflowText(file), file).not.toMatch(/CLIENT_SECRET|client-secret|clientSecret|\bcreds\s*:/i);
        }
        for (const { file, name, job } of allJobs()) {
            for (const login of stepsUsing(job, "azure/login")) {
                expect(Object.keys(login.with ?? {}).sort(), `${file} ${name}`).toEqual(["client-id", "subscription-id", "tenant-id"]);
            }
        }
    });

    it("signs azure-native and kubelogin in with OIDC, using one identity everywhere", () => {
        const identities = new Set<string>();
        for (const file of WORKFLOW_FILES) {
            const env = workflow(file).env ?? {};
            expect(env.ARM_USE_OIDC, file).toBe("true");
            for (const key of ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID"]) {
                expect(env[key], `${file} ${key}`).toMatch(/^\$\{\{ vars\.AZURE_\w+ \|\| secrets\.AZURE_\w+ \}\}$/);
            }
            // kubelogin's workloadidentity login reads AZURE_CLIENT_ID/AZURE_TENANT_ID and GitHub's token endpoint.
            expect(env.AAD_LOGIN_METHOD, file).toBe("workloadidentity");
            expect(env.AZURE_CLIENT_ID, file).toBe(env.ARM_CLIENT_ID);
            expect(env.AZURE_TENANT_ID, file).toBe(env.ARM_TENANT_ID);
            identities.add(`${env.ARM_CLIENT_ID} ${env.ARM_TENANT_ID} ${env.ARM_SUBSCRIPTION_ID}`);
        }
        for (const { file, name, job } of allJobs()) {
            for (const login of stepsUsing(job, "azure/login")) {
                const env = workflow(file).env ?? {};
                expect(login.with, `${file} ${name}`).toEqual({ "client-id": env.ARM_CLIENT_ID, "tenant-id": env.ARM_TENANT_ID, "subscription-id": env.ARM_SUBSCRIPTION_ID });
            }
        }
        // The stack grants cluster admin to whoever runs it: another identity would show up as a change.
        expect(identities.size).toBe(1);
    });

    it("keeps Pulumi's secrets out of the workflow-level env, so the offline test job never sees them", () => {
        for (const file of WORKFLOW_FILES) {
            expect(JSON.stringify(workflow(file).env ?? {}), file).not.toMatch(/secrets\.PULUMI/);
        }
        for (const { file, name, job } of allJobs()) {
            if (stepsUsing(job, "pulumi/actions").length === 0) continue;
            expect(job.env?.PULUMI_ACCESS_TOKEN, `${file} ${name}`).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
            expect(job.env?.PULUMI_CONFIG_PASSPHRASE, `${file} ${name}`).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        }
    });

    it("runs Pulumi only after npm ci, the Azure login and kubelogin, against the configured backend", () => {
        const pulumiJobs = allJobs().filter(({ job }) => stepsUsing(job, "pulumi/actions").length > 0);
        expect(pulumiJobs.map(({ file, name }) => `${file}:${name}`).sort()).toEqual(["deploy.yml:dev", "deploy.yml:prod", "drift.yml:drift", "pull-request.yml:preview"]);
        for (const { file, name, job } of pulumiJobs) {
            const pulumi = stepIndex(job, uses("pulumi/actions"));
            const label = `${file} ${name}`;
            expect(stepIndex(job, runs(/^npm ci$/)), label).toBeGreaterThanOrEqual(0);
            expect(stepIndex(job, runs(/^npm ci$/)), label).toBeLessThan(pulumi);
            expect(stepIndex(job, uses("azure/login")), label).toBeGreaterThanOrEqual(0);
            expect(stepIndex(job, uses("azure/login")), label).toBeLessThan(pulumi);
            expect(stepIndex(job, uses("azure/use-kubelogin")), label).toBeGreaterThanOrEqual(0);
            expect(stepIndex(job, uses("azure/use-kubelogin")), label).toBeLessThan(pulumi);
            expect(onlyStepUsing(job, "pulumi/actions").with?.["cloud-url"], label).toBe("${{ vars.PULUMI_BACKEND_URL }}");
        }
    });

    it("pins every action to a major version tag", () => {
        const used = allJobs().flatMap(({ job }) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
        expect(used.length).toBeGreaterThan(10);
        for (const action of used) {
            expect(action).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+@v\d+$/);
        }
    });

    it("documents every repository variable and secret it reads in docs/ci.md", () => {
        const guide = fs.readFileSync(path.join(PROJECT_DIR, "docs", "ci.md"), "utf8");
        const names = new Set(WORKFLOW_FILES.flatMap((file) => [...workflowText(file).matchAll(/\b(?:vars|secrets)\.([A-Z_]+)/g)].map((match) => match[1]!)));
        names.delete("GITHUB_TOKEN");
        expect([...names].sort()).toEqual(expect.arrayContaining(["AZURE_CLIENT_ID", "PULUMI_ACCESS_TOKEN", "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"]));
        for (const name of names) {
            expect(guide, name).toContain(`\`${name}\``);
        }
    });
});

describe("pull-request.yml", () => {
    const pr = workflow("pull-request.yml");

    it("runs on pull requests, and only there", () => {
        expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    });

    it("test job: npm ci (and the policy pack's), tsc --noEmit, then npm test, on Node 24 (LTS) with the npm cache", () => {
        const test = pr.jobs.test!;
        const setupNode = onlyStepUsing(test, "actions/setup-node");
        expect(setupNode.with).toMatchObject({ "node-version": 24, cache: "npm" });
        const order = [
            stepIndex(test, uses("actions/checkout")),
            stepIndex(test, runs(/^npm ci$/)),
            stepIndex(test, runs(/policy-pack\/package\.json.*cd policy-pack && npm ci/)),
            stepIndex(test, runs(/^npx tsc --noEmit -p tsconfig\.json$/)),
            stepIndex(test, runs(/^npm test$/)),
        ];
        expect(order.every((index) => index >= 0), String(order)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
    });

    it("previews both stacks after the tests, with the policy pack, commenting on the pull request", () => {
        const preview = pr.jobs.preview!;
        expect(needsOf(preview)).toEqual(["test"]);
        expect(preview.strategy?.matrix?.stack).toEqual(["dev", "prod"]);
        const pulumi = onlyStepUsing(preview, "pulumi/actions");
        expect(pulumi.uses).toBe("pulumi/actions@v7");
        expect(pulumi.with).toMatchObject({
            command: "preview",
            "stack-name": "${{ matrix.stack }}",
            "comment-on-pr": true,
            "github-token": "${{ secrets.GITHUB_TOKEN }}",
            policyPacks: "policy-pack",
        });
        expect(stepIndex(preview, runs(/cd policy-pack && npm ci/))).toBeLessThan(stepIndex(preview, uses("pulumi/actions")));
        // Fork pull requests get no OIDC token and no secrets: skip rather than fail.
        expect(preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("computes the security diff for dev and prod in Markdown against the pull request's base, with full history", () => {
        const diff = pr.jobs["security-diff"]!;
        expect(needsOf(diff)).toEqual(["test"]);
        expect(onlyStepUsing(diff, "actions/checkout").with?.["fetch-depth"]).toBe(0);
        const step = diff.steps.find(runs(/npm run (--silent )?diff/));
        expect(step?.env?.BASE_REF).toBe("${{ github.base_ref }}");
        for (const stack of ["dev", "prod"]) {
            const line = step?.run?.split("\n").find((text) => text.includes(`--stack ${stack} `));
            expect(line, stack).toBeDefined();
            expect(line).toMatch(/^npm run (--silent )?diff -- /);
            expect(line).toContain('--base "origin/$BASE_REF"');
            expect(line).toContain("--format md");
            expect(line).toContain("--fail-on mandatory");
            expect(line).toMatch(new RegExp(`> security-diff-${stack}\\.md \\|\\| status=\\$\\?$`));
        }
        expect(stepIndex(diff, runs(/npm run (--silent )?diff/))).toBeLessThan(stepIndex(diff, uses("actions/github-script")));
    });

    describe("--fail-on mandatory", () => {
        const job = pr.jobs["security-diff"]!;
        const diffStep = job.steps.find(runs(/npm run (--silent )?diff/))!;
        const failStep = job.steps[job.steps.length - 1]!;

        /** Runs the diff step's script with a stand-in npm that prints a diff per stack and exits with that stack's status. */
        function runDiffStep(statuses: { dev: number; prod: number }): { files: Record<string, string>; output: string } {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-step-"));
            const bin = path.join(dir, "bin");
            fs.mkdirSync(bin);
            fs.writeFileSync(
                path.join(bin, "npm"),
                `#!/bin/bash\nfor arg; do [ "$prev" = --stack ] && stack=$arg; prev=$arg; done\necho "### Security diff: \\\`$stack\\\` ($*)"\n[ "$stack" = dev ] && exit ${statuses.dev}\nexit ${statuses.prod}\n`,
                { mode: 0o755 },
            );
            const output = path.join(dir, "github-output");
            fs.writeFileSync(output, "");
            // GitHub runs `run:` scripts with bash -e -o pipefail.
            execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", diffStep.run!], {
                cwd: dir,
                env: { PATH: `${bin}:${process.env.PATH}`, BASE_REF: "main", GITHUB_OUTPUT: output },
            });
            const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
            return { files: { dev: read("security-diff-dev.md"), prod: read("security-diff-prod.md") }, output: read("github-output") };
        }

        it("keeps both stacks' diffs and the exit status when the diff fails, so the comment is still posted", () => {
            const failed = runDiffStep({ dev: 1, prod: 0 });
            expect(failed.output).toBe("status=1\n");
            expect(failed.files.dev).toContain("### Security diff: `dev` (run --silent diff -- --base origin/main --stack dev --format md --fail-on mandatory)");
            expect(failed.files.prod).toContain("### Security diff: `prod`");
            expect(runDiffStep({ dev: 0, prod: 1 }).output).toBe("status=1\n");
            expect(runDiffStep({ dev: 0, prod: 0 }).output).toBe("status=0\n");
        });

        it("fails the job in its last step, after the comment, only when a diff failed", () => {
            expect(diffStep.id).toBe("diff");
            expect(stepIndex(job, uses("actions/github-script"))).toBe(job.steps.length - 2);
            expect(failStep.if).toBe("steps.diff.outputs.status != '0'");
            expect(failStep.run).toMatch(/\bexit 1\s*$/);
        });
    });

    describe("the security diff comment", () => {
        const script = githubScript(pr.jobs["security-diff"]!);
        const marker = "<!-- aks-zero-trust-security-diff -->";
        const files = { "security-diff-dev.md": "### Security diff: `dev`\n\n**opens 1 connection**\n", "security-diff-prod.md": "### Security diff: `prod`\n\n**no security change**\n" };
        const env = { BASE_REF: "main", HEAD_SHA: "abc123" };

        it("is created once, with the marker and both stacks' diffs", async () => {
            const calls = await runGithubScript(script, { listed: { comments: [] }, env, files });
            expect(writes(calls)).toHaveLength(1);
            const [create] = writes(calls);
            expect(create).toMatchObject({ method: "createComment", params: { owner: "contoso", repo: "aks-zero-trust", issue_number: 7 } });
            const body = String(create!.params.body);
            expect(body.startsWith(marker)).toBe(true);
            expect(body).toContain("**opens 1 connection**");
            expect(body).toContain("**no security change**");
            expect(body).toContain("origin/main");
        });

        it("is edited in place on later pushes", async () => {
            const previous = { id: 555, user: { login: "github-actions[bot]", type: "Bot" }, body: `${marker}\nold diff` };
            const calls = await runGithubScript(script, { listed: { comments: [{ id: 1, user: { type: "User" }, body: "LGTM" }, previous] }, env, files });
            expect(writes(calls)).toEqual([{ method: "updateComment", params: expect.objectContaining({ comment_id: 555, body: expect.stringContaining("**opens 1 connection**") }) }]);
        });

        it("leaves a person's comment that quotes the marker alone", async () => {
            const quoted = { id: 556, user: { login: "alice", type: "User" }, body: `why does ${marker} show up?` };
            const calls = await runGithubScript(script, { listed: { comments: [quoted] }, env, files });
            expect(writes(calls).map((call) => call.method)).toEqual(["createComment"]);
        });

        it("stays under GitHub's comment size limit, keeping the marker", async () => {
            const huge = { ...files, "security-diff-prod.md": `### Security diff: \`prod\`\n\n${"+ shop/a[Pod] => shop/b[Pod] : TCP 80\n".repeat(5000)}` };
            const calls = await runGithubScript(script, { listed: { comments: [] }, env, files: huge });
            const body = String(writes(calls)[0]!.params.body);
            expect(body.length).toBeLessThanOrEqual(65536);
            expect(body.startsWith(marker)).toBe(true);
            expect(body).toContain("Truncated");
        });

        it("is posted only for pull requests from this repository (a fork's token cannot comment)", () => {
            const step = onlyStepUsing(pr.jobs["security-diff"]!, "actions/github-script");
            expect(step.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
        });
    });
});

describe("deploy.yml", () => {
    const deploy = workflow("deploy.yml");

    it("runs on pushes to main only", () => {
        expect(deploy.on).toEqual({ push: { branches: ["main"] } });
    });

    it("runs pulumi up on dev in the dev environment, then on prod only after dev, in the prod environment", () => {
        const { dev, prod } = deploy.jobs;
        expect(Object.keys(deploy.jobs).sort()).toEqual(["dev", "prod"]);
        expect(needsOf(dev!)).toEqual([]);
        expect(environmentOf(dev!)).toBe("dev");
        expect(onlyStepUsing(dev!, "pulumi/actions").with).toMatchObject({ command: "up", "stack-name": "dev", policyPacks: "policy-pack" });
        expect(needsOf(prod!)).toEqual(["dev"]);
        expect(environmentOf(prod!)).toBe("prod");
        expect(onlyStepUsing(prod!, "pulumi/actions").with).toMatchObject({ command: "up", "stack-name": "prod", policyPacks: "policy-pack" });
    });

    it("serialises updates per stack and never cancels one in progress", () => {
        const groups = Object.entries(deploy.jobs).map(([name, job]) => {
            expect(typeof job.concurrency, name).toBe("object");
            const concurrency = job.concurrency as { group: string; "cancel-in-progress"?: boolean };
            expect(concurrency["cancel-in-progress"], name).toBe(false);
            expect(concurrency.group, name).toContain(name);
            return concurrency.group;
        });
        expect(new Set(groups).size).toBe(2);
    });
});

describe("drift.yml", () => {
    const drift = workflow("drift.yml");
    const job = drift.jobs.drift!;

    it("runs on a daily schedule and on demand", () => {
        expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
        const schedule = drift.on.schedule as Array<{ cron: string }>;
        expect(schedule).toHaveLength(1);
        const [minute, hour, dayOfMonth, month, dayOfWeek] = schedule[0]!.cron.split(" ");
        expect([minute, hour].every((field) => /^\d+$/.test(field ?? ""))).toBe(true);
        expect([dayOfMonth, month, dayOfWeek]).toEqual(["*", "*", "*"]);
    });

    it("fails on drift: a refreshed preview of each stack with the policy pack, judged by npm run drift", () => {
        expect(job.strategy?.matrix?.stack).toEqual(["dev", "prod"]);
        // The action only installs the CLI and logs in; the preview's JSON goes to the drift judge.
        expect(onlyStepUsing(job, "pulumi/actions").with?.command).toBeUndefined();
        const preview = job.steps.find((step) => step.id === "preview")!;
        expect(preview.env).toEqual({ STACK: "${{ matrix.stack }}" });
        // The judge runs after a failed preview too (it prints the preview's errors, which --json keeps in the JSON),
        // and the step fails when either failed.
        expect(preview.run!.trim().split("\n")).toEqual([
            "status=0",
            'pulumi preview --stack "$STACK" --refresh --policy-pack policy-pack --json > preview.json || status=$?',
            "npm run --silent drift -- --preview preview.json || status=1",
            'exit "$status"',
        ]);
        // Policy results are not in the JSON: the advisory ones come from the offline plan, which never fails the job.
        const advisory = job.steps.find((step) => step.run?.includes("npm run --silent plan"))!;
        expect(advisory.run).toBe('npm run --silent plan -- --stack "$STACK"');
        expect(advisory["continue-on-error"]).toBe(true);
        expect(advisory.env).toEqual({ STACK: "${{ matrix.stack }}" });
        expect(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts.plan).toBe("node dist/cli/plan.js");
        expect(stepIndex(job, (step) => step.id === "preview")).toBeGreaterThan(stepIndex(job, uses("pulumi/actions")));
        expect(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")).scripts.drift).toBe("node dist/cli/drift.js");
    });

    it("reports through an issue after the preview, whether it failed or passed", () => {
        const step = onlyStepUsing(job, "actions/github-script");
        expect(step.if).toContain("!cancelled()");
        expect(step.if).toContain("steps.preview.outcome == 'failure'");
        expect(step.env).toEqual({ STACK: "${{ matrix.stack }}", OUTCOME: "${{ steps.preview.outcome }}" });
        expect(stepIndex(job, uses("actions/github-script"))).toBeGreaterThan(stepIndex(job, (step) => step.id === "preview"));
    });

    describe("the drift issue", () => {
        const script = githubScript(job);
        const openIssue = { number: 17, title: "Drift detected in prod" };

        it("is opened, titled after the stack, when the first drift is found", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [] }, env: { STACK: "prod", OUTCOME: "failure" } });
            expect(writes(calls)).toHaveLength(1);
            expect(writes(calls)[0]).toMatchObject({ method: "create", params: { owner: "contoso", repo: "aks-zero-trust", title: "Drift detected in prod" } });
            expect(String(writes(calls)[0]!.params.body)).toContain("https://github.com/contoso/aks-zero-trust/actions/runs/123456");
        });

        it("is commented on, not duplicated, while the drift lasts", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [{ number: 3, title: "Drift detected in dev" }, openIssue] }, env: { STACK: "prod", OUTCOME: "failure" } });
            expect(writes(calls).map((call) => [call.method, call.params.issue_number])).toEqual([["createComment", 17]]);
        });

        it("ignores a pull request that happens to carry the same title", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [{ ...openIssue, pull_request: { url: "x" } }] }, env: { STACK: "prod", OUTCOME: "failure" } });
            expect(writes(calls).map((call) => call.method)).toEqual(["create"]);
        });

        it("is closed by the next clean run", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [openIssue] }, env: { STACK: "prod", OUTCOME: "success" } });
            expect(writes(calls).map((call) => call.method)).toEqual(["createComment", "update"]);
            expect(writes(calls)[1]!.params).toMatchObject({ issue_number: 17, state: "closed" });
        });

        it("is not touched when there is no drift and no open issue", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [{ number: 3, title: "Drift detected in dev" }] }, env: { STACK: "prod", OUTCOME: "success" } });
            expect(writes(calls)).toEqual([]);
        });
    });
});

describe("quarterly-review.yml", () => {
    const quarterly = workflow("quarterly-review.yml");
    const job = quarterly.jobs.review!;

    it("runs once a quarter, and on demand", () => {
        expect(Object.keys(quarterly.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
        const [minute, hour, dayOfMonth, month, dayOfWeek] = (quarterly.on.schedule as Array<{ cron: string }>)[0]!.cron.split(" ");
        expect([minute, hour].every((field) => /^\d+$/.test(field ?? ""))).toBe(true);
        expect([dayOfMonth, month, dayOfWeek]).toEqual(["1", "1,4,7,10", "*"]);
    });

    it("reads the prod workspace and cluster by the names the stack gives them", () => {
        const config = readStackConfig(projectConfigValues(readStackFile(path.join(PROJECT_DIR, "Pulumi.prod.yaml"))), "prod");
        const names = azureNames(config);
        expect(job.env).toEqual({ STACK: "prod", RESOURCE_GROUP: names.resourceGroup, WORKSPACE: names.workspace, CLUSTER: names.cluster });
    });

    it("exports the logs and the dump, reviews with a checked patch, then reports, after npm ci and the logins", () => {
        const order = [
            stepIndex(job, runs(/^npm ci$/)),
            stepIndex(job, uses("azure/login")),
            stepIndex(job, uses("azure/use-kubelogin")),
            stepIndex(job, runs(/az monitor log-analytics query/)),
            stepIndex(job, runs(/kubectl get namespaces,pods,deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs -A -o json > cluster\.json/)),
            stepIndex(job, runs(/npm run --silent review -- --stack "\$STACK" --cluster cluster\.json --firewall-logs azfw-application-rule\.json azfw-network-rule\.json/)),
            stepIndex(job, uses("actions/github-script")),
        ];
        expect(order.every((index) => index >= 0), String(order)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        const review = job.steps.find(runs(/npm run --silent review/))!;
        expect(review.run).toContain('--write-patch "Pulumi.$STACK.yaml" --format md > review.md || status=$?');
        expect(permissionsOf(job).contents).toBe("read");
    });

    describe("the review issue", () => {
        const script = githubScript(job);
        const files = { "review.md": "### Quarterly review: prod\n\n**Removes 2 entries; ...**\n", "review.patch": "--- a/Pulumi.prod.yaml\n+++ b/Pulumi.prod.yaml\n-                - fqdn: invoices.legacy-partner.example\n" };

        it("is opened with the patch and the review when none is open", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [] }, env: { STACK: "prod", REVIEW_STATUS: "0" }, files });
            expect(writes(calls).map((call) => call.method)).toEqual(["create"]);
            const body = String(writes(calls)[0]!.params.body);
            expect(writes(calls)[0]!.params.title).toBe("Quarterly review: prod");
            expect(body).toContain("```diff\n--- a/Pulumi.prod.yaml");
            expect(body).toContain("### Quarterly review: prod");
            expect(body).toContain("https://github.com/contoso/aks-zero-trust/actions/runs/123456");
        });

        it("is commented on when one is open, and says when the review failed", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [{ number: 21, title: "Quarterly review: prod" }] }, env: { STACK: "prod", REVIEW_STATUS: "1" }, files: { "review.md": "error" } });
            expect(writes(calls).map((call) => [call.method, call.params.issue_number])).toEqual([["createComment", 21]]);
            expect(String(writes(calls)[0]!.params.body)).toContain("The review exited with status 1");
        });

        it("keeps within GitHub's body limit, patch first", async () => {
            const calls = await runGithubScript(script, { listed: { issues: [] }, env: { STACK: "prod", REVIEW_STATUS: "0" }, files: { ...files, "review.md": "x".repeat(100_000) } });
            const body = String(writes(calls)[0]!.params.body);
            expect(body.length).toBeLessThanOrEqual(65_536);
            expect(body).toContain("```diff");
            expect(body).toMatch(/_\(cut: the whole review is in the run's log\)_$/);
        });
    });
});
