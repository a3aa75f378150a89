import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namedAccountAddress } from './bech32-address.js';
import { deployConsentLedger } from './deploy.js';
import { EmbeddedChain } from './embedded/embedded-chain.js';
import { openEmbeddedLedger } from './embedded/open-embedded-ledger.js';
import { chainStatus } from './status.js';
import { consentItems } from './test-support/fixtures.js';
import { ZERO_HEAD } from './messages.js';

describe('deploy and status helpers', () => {
  it('deploys the committed wasm and reports chain and contract status', async () => {
    const chain = await EmbeddedChain.open();
    const sender = namedAccountAddress('wasm', 'deployer');
    const deployment = await deployConsentLedger(chain, { sender, writers: [sender] });
    expect(deployment).toMatchObject({
      chainId: 'consentome-embedded-1',
      codeId: 1,
      admin: sender,
      writers: [sender],
    });
    expect(deployment.contractAddress).toMatch(/^wasm1/);
    const status = await chainStatus(chain, deployment.contractAddress);
    expect(status).toEqual({
      kind: 'embedded',
      chainId: 'consentome-embedded-1',
      height: deployment.height,
      contract: {
        address: deployment.contractAddress,
        admin: sender,
        writers: [sender],
        head: ZERO_HEAD,
        consents: 0,
        anchors: 0,
        grants: 0,
      },
    });
    expect(await chainStatus(chain)).toEqual({
      kind: 'embedded',
      chainId: 'consentome-embedded-1',
      height: deployment.height,
    });
    await chain.close();
  });

  it('openEmbeddedLedger deploys once and finds the contract again after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'open-ledger-'));
    try {
      const first = await openEmbeddedLedger({ dir });
      expect(first.deployed).toBe(true);
      await first.ledger.recordConsents(consentItems('o', 0, 2));
      await first.chain.close();
      const again = await openEmbeddedLedger({ dir });
      expect(again).toMatchObject({
        deployed: false,
        contractAddress: first.contractAddress,
        sender: first.sender,
      });
      expect((await again.ledger.head()).consents).toBe(2);
      await again.chain.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
