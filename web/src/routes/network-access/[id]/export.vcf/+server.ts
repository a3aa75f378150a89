import { error } from '@sveltejs/kit';
import { graphql } from '$lib/graphql/graphql';
import { ApiRequestError, api } from '$lib/server/api';
import { signedIn } from '$lib/server/guard';
import type { RequestHandler } from './$types';

const ID = /^[0-9a-f-]{36}$/i;

const Vcf = graphql(`
  query RemoteExportVcf($requestId: ID!) { remoteExportVcf(requestId: $requestId) }
`);

/**
 * The VCF another institution exported for one of the researcher's requests, kept at this
 * institution: read through the API (which audits each download) and sent as a file.
 */
export const GET: RequestHandler = async ({ locals, params, fetch }) => {
  const { token } = signedIn(locals);
  if (!ID.test(params.id)) error(404, { message: 'No such export.', code: 'NOT_FOUND' });
  try {
    const { remoteExportVcf } = await api(fetch, token, Vcf, { requestId: params.id });
    return new Response(remoteExportVcf, {
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'content-disposition': `attachment; filename="network-export-${params.id}.vcf"`,
        'cache-control': 'no-store',
      },
    });
  } catch (e) {
    if (!(e instanceof ApiRequestError)) throw e;
    error(e.code === 'NOT_FOUND' ? 404 : e.code === 'FORBIDDEN' ? 403 : 502, {
      message: e.message,
      code: e.code,
    });
  }
};
