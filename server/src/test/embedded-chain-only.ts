// Setup file of the embedded test project: the chain variables a real-chain run exports are
// removed, so every test outside *.real-chain.test.ts keeps running on the embedded chain.
for (const key of Object.keys(process.env)) {
  if (/^(CHAIN_|CONSENT_CONTRACT_ADDRESS$|CONSENT_CODE_ID$|WASMD_)/.test(key))
    delete process.env[key];
}
