// Where the CLI writes: injectable so tests run commands in-process and read what a user would see.

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Colours and progress bars only on a terminal. */
  isTTY: boolean;
  /** Terminal width; tables fit in it (default 120). */
  columns: number;
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns || 120,
    env: process.env
  };
}

/** A usage error: the command line is wrong (exit status 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The input could not be used (exit status 1). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
