import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * A fake GitHub API and the github-script calling convention (the script body runs as an async function with
 * github, context, core and require in scope), so that tests run the workflows' own scripts.
 */

export interface ApiCall {
    readonly method: string;
    readonly params: Readonly<Record<string, unknown>>;
}

export interface Listed {
    readonly comments?: readonly object[];
    readonly issues?: readonly object[];
}

function fakeGitHub(listed: Listed): { github: unknown; calls: ApiCall[] } {
    const calls: ApiCall[] = [];
    const method = (name: string) => async (params: Record<string, unknown>) => {
        calls.push({ method: name, params });
        return { data: { id: 9001, number: 4242 } };
    };
    const issues = {
        listComments: method("listComments"),
        listForRepo: method("listForRepo"),
        createComment: method("createComment"),
        updateComment: method("updateComment"),
        create: method("create"),
        update: method("update"),
    };
    const paginate = async (list: unknown, params: Record<string, unknown>) => {
        if (list === issues.listComments) {
            calls.push({ method: "paginate:listComments", params });
            return listed.comments ?? [];
        }
        if (list === issues.listForRepo) {
            calls.push({ method: "paginate:listForRepo", params });
            return listed.issues ?? [];
        }
        throw new Error("unexpected paginate call");
    };
    return { github: { rest: { issues }, paginate }, calls };
}

const CONTEXT = { repo: { owner: "contoso", repo: "aks-zero-trust" }, issue: { number: 7 }, runId: 123456, serverUrl: "https://github.com" };
type ScriptFunction = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => ScriptFunction;

/** Runs a github-script program against the fake API with `files` as what it may read; returns the API calls. */
export async function runGithubScript(script: string, options: { listed: Listed; env: Record<string, string>; files?: Record<string, string> }): Promise<ApiCall[]> {
    const { github, calls } = fakeGitHub(options.listed);
    const files = options.files ?? {};
    const fakeFs = {
        readFileSync: (file: string) => {
            if (!(file in files)) throw new Error(`ENOENT: ${file}`);
            return files[file];
        },
        existsSync: (file: string) => file in files,
    };
    const requireModule = (name: string) => {
        if (name === "fs") return fakeFs;
        throw new Error(`the script required ${name}`);
    };
    const core = { info: () => undefined, warning: () => undefined };
    const body = new AsyncFunction("github", "context", "core", "require", "process", script);
    await body(github, CONTEXT, core, requireModule, { env: options.env });
    return calls;
}


/** The API writes of a run (no listing). */
export const writes = (calls: readonly ApiCall[]) => calls.filter((call) => !call.method.startsWith("paginate:") && !call.method.startsWith("list"));

/**
 * The pull-request comment the security-diff job posts for these diffs (`security-diff-<stack>.md`), built by the
 * workflow's own script (.github/workflows/pull-request.yml) for pull request 7 of contoso/aks-zero-trust.
 */
export async function securityDiffComment(diffs: { readonly dev: string; readonly prod: string }, env: { readonly BASE_REF: string; readonly HEAD_SHA: string }): Promise<string> {
    const workflow = parse(fs.readFileSync(path.resolve(__dirname, "..", "..", ".github", "workflows", "pull-request.yml"), "utf8")) as {
        jobs: Record<string, { steps: Array<{ uses?: string; with?: { script?: string } }> }>;
    };
    const script = workflow.jobs["security-diff"]!.steps.find((step) => step.uses?.startsWith("actions/github-script@"))?.with?.script;
    if (!script) throw new Error("pull-request.yml: the security-diff job has no github-script step");
    const calls = await runGithubScript(script, { listed: { comments: [] }, env: { ...env }, files: { "security-diff-dev.md": diffs.dev, "security-diff-prod.md": diffs.prod } });
    const [create] = writes(calls);
    if (create?.method !== "createComment") throw new Error(`the script did not create a comment: ${JSON.stringify(calls)}`);
    return String(create.params.body);
}
