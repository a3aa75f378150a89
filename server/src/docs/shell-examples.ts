/** One ```sh block of a documentation page. */
export interface ShellExample {
  /** 1-based line of the opening fence, for messages. */
  line: number;
  code: string;
  /** The HTTP status every curl in the block must get: `expect=422` in the info string, else 2xx. */
  expectStatus: number | null;
}

/**
 * The shell examples of a Markdown page, in order: every fenced block whose info string starts
 * with `sh` (or `bash`, `shell`). A block that shows a refusal says so in its info string
 * (```` ```sh expect=422 ````), which renderers ignore after the language.
 */
export function shellExamples(markdown: string): ShellExample[] {
  const examples: ShellExample[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(sh|bash|shell)(?:\s+(.*))?$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== '```'; i += 1) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`unclosed code block at line ${start + 1}`);
    const expect = /(?:^|\s)expect=(\d{3})(?:\s|$)/.exec(open[2] ?? '');
    examples.push({
      line: start + 1,
      code: body.join('\n'),
      expectStatus: expect ? Number(expect[1]) : null,
    });
  }
  return examples;
}

/** How many times a block runs curl (`curl …`, `$(curl …`, `| curl …`), comments left out. */
export function curlInvocations(code: string): number {
  return code
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .reduce((n, line) => n + (line.match(/(?:^|[\s|(])curl\s/g)?.length ?? 0), 0);
}
