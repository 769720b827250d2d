import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A year and month, as shown in "updated Apr 2016". */
export interface YearMonth {
  year: number;
  month: number;
}

/**
 * When the CV last changed: the date of the last git commit that touched one
 * of its input files, or, outside git or for files not committed yet, their
 * latest modification time.
 */
export async function lastChanged(projectRoot: string, files: readonly string[]): Promise<YearMonth | undefined> {
  // Both questions to git at once: each is a process to start.
  const [fromGit, uncommitted] = await Promise.all([lastCommitDate(projectRoot, files), hasUncommittedChanges(projectRoot, files)]);
  if (fromGit !== undefined && !uncommitted) return toYearMonth(fromGit);
  const times = await Promise.all(
    files.map(async (file) => {
      try {
        return (await stat(path.join(projectRoot, file))).mtime;
      } catch {
        return undefined;
      }
    }),
  );
  const latest = times.filter((time): time is Date => time !== undefined).sort((a, b) => b.getTime() - a.getTime())[0];
  return latest === undefined ? undefined : toYearMonth(latest);
}

async function lastCommitDate(root: string, files: readonly string[]): Promise<Date | undefined> {
  try {
    const { stdout } = await run('git', ['log', '-1', '--format=%cI', '--', ...files], { cwd: root });
    const date = stdout.trim();
    return date === '' ? undefined : new Date(date);
  } catch {
    return undefined;
  }
}

async function hasUncommittedChanges(root: string, files: readonly string[]): Promise<boolean> {
  try {
    const { stdout } = await run('git', ['status', '--porcelain', '--', ...files], { cwd: root });
    return stdout.trim() !== '';
  } catch {
    return true;
  }
}

function toYearMonth(date: Date): YearMonth {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

/** Reads "2016" or "2016-04" from the data file. */
export function parseYearMonth(value: string): YearMonth {
  const [year = '0', month = '1'] = value.split('-');
  return { year: Number(year), month: Number(month) };
}
