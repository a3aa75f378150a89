// One configuration for the paraglide compiler, read by the Vite plugin (build, dev, unit tests)
// and by `npm run i18n` (typecheck). The language of a request: the cookie (hooks.server.ts
// writes the signed-in person's choice into it), else Accept-Language, else English.
export default {
  outdir: './src/lib/paraglide',
  strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
  cookieName: 'consentome_locale',
};
