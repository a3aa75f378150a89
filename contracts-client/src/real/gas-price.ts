import { createRequire } from 'node:module';

/**
 * A GasPrice the installed SigningCosmWasmClient accepts.
 *
 * `@cosmjs/cosmwasm-stargate@0.39` is a re-export of `@cosmjs/cosmwasm`, which (0.38.1 here)
 * carries its own nested `@cosmjs/stargate`, and the client asserts
 * `gasPrice instanceof GasPrice` against that copy: a GasPrice built from our top-level
 * `@cosmjs/stargate` fails with "Gas price must be a GasPrice instance". So the class is taken
 * from the copy the client itself resolves.
 */
export function gasPriceForSigningClient(gasPrice: string): unknown {
  const fromHere = createRequire(import.meta.url);
  const cosmwasmStargate = fromHere.resolve('@cosmjs/cosmwasm-stargate');
  const cosmwasm = createRequire(cosmwasmStargate).resolve('@cosmjs/cosmwasm');
  const stargate = createRequire(cosmwasm)('@cosmjs/stargate') as {
    GasPrice: { fromString(s: string): unknown };
  };
  return stargate.GasPrice.fromString(gasPrice);
}
