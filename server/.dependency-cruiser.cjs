// The server's layering, checked by `npm run lint:deps` (part of the root `npm run lint`, so CI
// fails when it breaks). README.md § Architecture explains the layers in words.

/**
 * Domain modules (folders under src/modules), lowest layer first. A module may import modules of
 * lower layers only: never one of its own layer, never a higher one. Keep README.md in step.
 */
const LAYERS = [
  ['actors', 'cohort-changes', 'secrets'], // leaves: who acts, "the index must re-read", keys
  ['audit'], // the append-only, hash-chained log every write appends to
  ['accounts', 'ontology'],
  ['genomics', 'notifications', 'identity'], // identity: institutional sign-in, second factor
  ['participants'],
  ['chain', 'datasets', 'assisted-consent', 'record'], // assisted-consent: paper consent forms and scans; record: what participants and their clinicians add
  ['passkeys', 'dacs', 'network'], // passkeys: participants' WebAuthn keys; dacs: the committees that govern datasets; network: the member institutions on chain
  ['consent', 'audit-explorer', 'signing-officials'], // signing-officials: institutions sign off requests, library cards
  ['cohorts'],
  ['studies', 'beacon'],
  ['grants'],
  ['review', 'participation', 'fhir', 'federation'], // use cases and doors over everything below; federation: counts across the member institutions
  ['demo'], // seeds the demo through the use cases (a vote, an export) like a person would
];

// Tests and fixtures set up data through higher-level services; they never ship, so they are
// exempt from the layer rules (not from the cycle rule).
const TESTS = '\\.test\\.ts$|^src/test/';
// Presentation: Pothos registrations and HTTP routes, the only module files that may use the
// builder, the GraphQL helpers or the HTTP layer.
const PRESENTATION = '\\.types\\.ts$|[.-]route\\.ts$';

const moduleRules = LAYERS.flatMap((layer, i) => {
  const notBelow = LAYERS.slice(i).flat();
  return layer.map((name) => ({
    name: `layer-${name}`,
    comment: `${name} may import only modules of lower layers (see LAYERS)`,
    severity: 'error',
    from: { path: `^src/modules/${name}/`, pathNot: TESTS },
    to: {
      path: `^src/modules/(${notBelow.join('|')})/`,
      pathNot: `^src/modules/${name}/`,
    },
  }));
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'declared-modules-only',
      comment: 'Every module folder must be placed in LAYERS.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: `^src/modules/`, pathNot: `^src/modules/(${LAYERS.flat().join('|')})/` },
    },
    ...moduleRules,
    {
      name: 'services-without-graphql',
      comment:
        'Services, policies and tables stay free of Pothos and HTTP: only *.types.ts and routes ' +
        'use the builder, src/graphql, src/http or another presentation file. The exception is ' +
        'http/request-viewer.ts, which tells a door (Beacon, visa checks) who is asking.',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: `${PRESENTATION}|${TESTS}` },
      to: {
        path: `^src/(builder|schema)\\.ts$|^src/(graphql|http)/|${PRESENTATION}`,
        pathNot: '^src/http/request-viewer\\.ts$',
      },
    },
    {
      name: 'graphql-helpers-below-types',
      comment: 'The builder and src/graphql sit below every *.types.ts file and the schema.',
      severity: 'error',
      from: { path: '^src/builder\\.ts$|^src/graphql/', pathNot: TESTS },
      to: { path: `^src/schema\\.ts$|\\.types\\.ts$|^src/(http|app|cli)/` },
    },
    {
      name: 'kernel-below-modules',
      comment:
        'errors, lib, db and config use no domain module, except the table registry ' +
        '(db/schema.ts) and the leaf actors module (roles for validators).',
      severity: 'error',
      from: {
        path: '^src/(errors|lib|db)/|^src/config\\.ts$',
        pathNot: `^src/db/schema\\.ts$|${TESTS}`,
      },
      to: { path: '^src/modules/', pathNot: '^src/modules/actors/' },
    },
    {
      name: 'modules-below-app',
      comment: 'Modules never reach up into start-up, the CLI, the schema or test fixtures.',
      severity: 'error',
      from: { path: '^src/modules/', pathNot: TESTS },
      to: { path: '^src/(app|cli|test)/|^src/schema\\.ts$' },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
