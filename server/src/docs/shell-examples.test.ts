import { describe, expect, it } from 'vitest';
import { curlInvocations, shellExamples } from './shell-examples.js';

describe('shell examples in Markdown', () => {
  it('finds sh blocks with their expected status, and nothing else', () => {
    const page = [
      '# Title',
      '```sh',
      'curl -s $B/info',
      '```',
      '```json',
      '{ "not": "shell" }',
      '```',
      '```sh expect=422',
      'X=$(curl -s a | sed x)',
      '# curl in a comment',
      'curl -s b | curl -s -d @- c',
      '```',
    ].join('\n');
    const examples = shellExamples(page);
    expect(examples).toEqual([
      { line: 2, code: 'curl -s $B/info', expectStatus: null },
      {
        line: 8,
        code: 'X=$(curl -s a | sed x)\n# curl in a comment\ncurl -s b | curl -s -d @- c',
        expectStatus: 422,
      },
    ]);
    expect(examples.map((e) => curlInvocations(e.code))).toEqual([1, 3]);
  });

  it('refuses an unclosed block rather than skipping it', () => {
    expect(() => shellExamples('```sh\ncurl -s x\n')).toThrow(/unclosed code block at line 1/);
  });
});
