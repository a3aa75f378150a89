import { describe, expect, it } from 'vitest';
import { promptFailure } from './passkey-errors';

const domError = (name: string) => Object.assign(new Error('browser words'), { name });

describe('promptFailure', () => {
  it('reads a cancelled or timed-out prompt as such, without the browser’s jargon', () => {
    for (const name of ['NotAllowedError', 'AbortError'])
      expect(promptFailure(domError(name), 'No passkey was added')).toBe(
        'No passkey was added: the browser’s passkey prompt was cancelled or timed out.',
      );
  });
  it('names a passkey registered twice', () => {
    expect(promptFailure(domError('InvalidStateError'), 'No passkey was added')).toBe(
      'No passkey was added: this passkey is already one of yours.',
    );
  });
  it('falls back to the message of anything else', () => {
    expect(promptFailure(new Error('odd'), 'Your decision was not recorded')).toBe(
      'Your decision was not recorded: odd',
    );
  });
});
