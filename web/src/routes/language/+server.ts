import { error, redirect } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { isLocale } from '$lib/paraglide/runtime';
import { api } from '$lib/server/api';
import { rememberLanguage } from '$lib/server/locale';
import type { RequestHandler } from './$types';

const SetMyLanguage = graphql(`
  mutation SetMyLanguage($locale: String!) {
    setMyLanguage(locale: $locale) {
      __typename
      ... on Error { message }
    }
  }
`);

/** Only a path of this portal: never another site (`//host`, `https://…`) or a backslash trick. */
function backTo(value: FormDataEntryValue | null): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

/**
 * The language switcher's form (in the header: works without JavaScript). Remembers the choice
 * in the language cookie and, for a signed-in person, on their account, so their other devices,
 * their notifications and their e-mails follow; then goes back to the page it came from.
 */
export const POST: RequestHandler = async ({ request, cookies, locals, fetch, url }) => {
  const form = await request.formData();
  const locale = form.get('locale');
  if (!isLocale(locale)) error(400, { message: 'Choose English or Spanish.', code: 'VALIDATION' });
  if (locals.viewer && locals.token) {
    const result = await api(fetch, locals.token, SetMyLanguage, { locale });
    if (result.setMyLanguage.__typename !== 'MutationSetMyLanguageSuccess')
      error(400, { message: 'The language could not be saved.', code: 'VALIDATION' });
  }
  rememberLanguage(cookies, locale, url.protocol === 'https:');
  redirect(303, backTo(form.get('returnTo')));
};
