/**
 * Days as ISO dates (YYYY-MM-DD, UTC). A day decides warnings and refusals (a Kubernetes version past its end of
 * life), never a resource input; commands that read the clock take a fixed day for reproducible runs.
 */

/** Whether text is a real calendar day written YYYY-MM-DD. */
export function isIsoDay(text: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const time = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** The UTC day of a moment. */
export function isoDayOf(moment: Date): string {
    return moment.toISOString().slice(0, 10);
}

/** Whole days from one ISO day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** An ISO day moved by a number of days. */
export function addDays(day: string, days: number): string {
    return isoDayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** A day that could not be read; the message names where it came from. */
export class DayError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DayError";
    }
}

/**
 * The day date-aware checks judge on: a fixed day when one is given (`--today`), else SOURCE_DATE_EPOCH (the
 * reproducible-builds convention: seconds since the epoch, reproducible-builds.org/specs/source-date-epoch), else
 * the clock. Pure: the caller hands in the environment and the clock.
 */
export function judgementDay(fixed: string | undefined, environment: Readonly<Record<string, string | undefined>>, now: () => Date): string {
    if (fixed !== undefined) {
        if (!isIsoDay(fixed)) throw new DayError(`--today must be a day written YYYY-MM-DD, got ${JSON.stringify(fixed)}`);
        return fixed;
    }
    const epoch = environment.SOURCE_DATE_EPOCH;
    if (epoch !== undefined && epoch !== "") {
        if (!/^\d+$/.test(epoch)) throw new DayError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, got ${JSON.stringify(epoch)}`);
        return isoDayOf(new Date(Number(epoch) * 1000));
    }
    return isoDayOf(now());
}
