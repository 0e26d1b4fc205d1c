import { readFile } from 'node:fs/promises';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** All of standard input (for secrets: never taken from the command line). */
  readStdin(): Promise<string>;
}

export const processIo: CliIo = {
  stdout: (t) => void process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  stderr: (t) => void process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  readFile: (p) => readFile(p, 'utf8'),
  async readStdin() {
    if (process.stdin.isTTY) process.stderr.write('password (then Enter, Ctrl-D): ');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
