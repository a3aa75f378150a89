// A vitest reporter hook that says how many tests ran against the real chain (the `real-chain`
// project), so a run can never look green while the real-chain suite silently did not run.

/** Counts the tests of `projectName` by state in vitest's finished file tasks. */
function countTests(files, projectName) {
  const counts = { pass: 0, fail: 0, skip: 0 };
  const visit = (task) => {
    if (task.type === 'test') {
      const state = task.result?.state;
      if (state === 'pass') counts.pass += 1;
      else if (state === 'fail') counts.fail += 1;
      else counts.skip += 1;
    }
    for (const child of task.tasks ?? []) visit(child);
  };
  for (const file of files) if (file.projectName === projectName) visit(file);
  return counts;
}

/**
 * A reporter object for `test.reporters`: prints one line at the end. With CHAIN_RPC_URL set and
 * no real-chain test passed, it sets a failing exit code.
 */
export function realChainReporter(pkg) {
  return {
    onFinished(files = []) {
      const rpc = process.env.CHAIN_RPC_URL?.trim();
      if (!rpc) {
        console.log(
          `\n[${pkg}] real-chain tests: NOT RUN (CHAIN_RPC_URL is not set; embedded chain only).`,
        );
        return;
      }
      const c = countTests(files, 'real-chain');
      console.log(
        `\n[${pkg}] real-chain tests against wasmd at ${rpc}: ${c.pass} passed, ${c.fail} failed, ${c.skip} not run.`,
      );
      if (c.pass === 0) {
        console.log(`[${pkg}] no real-chain test passed although CHAIN_RPC_URL is set.`);
        process.exitCode = 1;
      }
    },
  };
}
