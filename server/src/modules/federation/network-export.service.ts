import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { CombinedMatchResult } from '../consent/duo/match-across-datasets.js';
import type { ResearchPurpose } from '../consent/duo/match-types.js';
import { ForbiddenError } from '../../errors/app-errors.js';
import { appendAuditEvent, appendAuditEvents } from '../audit/audit.service.js';
import { writeExportVcf } from '../grants/exports/export-vcf.js';
import { memberConsents, studyCandidates } from '../studies/study-cohort.js';
import { approvedByLocalDac, type ForeignGrant } from './foreign-grant.js';
import {
  auditNetworkRefusal,
  heldGrant,
  type NetworkDoorDeps,
} from './network-access-requests.service.js';

/** A dataset export for another member's researcher. */
export interface NetworkExport {
  export: string;
  dataset: { id: string; name: string };
  /** The request at this site whose purpose the export follows. */
  request: string;
  samples: string[];
  vcf: { text: string; sha256: string; variants: number };
}

/** Why an export cannot be made for this grant yet, or null when it can. */
export function exportRefusal(grant: ForeignGrant, memberId: string): string | null {
  const { request, dataset } = grant;
  const ask = `request access at this site first (POST /api/network/access-requests with the purpose)`;
  if (!request)
    return `no request for dataset ${dataset.name} is recorded here for ${memberId}'s researcher: ${ask}`;
  if (request.status === 'pending')
    return `the request for dataset ${dataset.name} awaits this site's DAC`;
  if (request.status === 'refused')
    return `the request for dataset ${dataset.name} was refused here (${request.decisionNote ?? 'no reason given'})`;
  if (dataset.networkAccess === 'visa_and_local_dac' && !approvedByLocalDac(request))
    return `dataset ${dataset.name} needs this site's DAC to approve the request`;
  return null;
}

/**
 * Exports one of our datasets for a researcher of another member, on their institution's DAC
 * visa (the bearer token) and the request approved here (which carries the purpose): exactly
 * the dataset's participants whose effective consent permits that purpose now, read in this
 * transaction (the same rule as a local export). Sample ids are fresh per export. Audited as
 * `network_export.create` and one `export.include` per participant (so each sees it). A
 * refused visa, or a request not (yet) approved, is audited and exports nothing.
 */
export async function exportForNetwork(
  deps: NetworkDoorDeps,
  token: string | null,
): Promise<NetworkExport> {
  const refuse = async (reason: string): Promise<never> => {
    await auditNetworkRefusal(deps.db, 'export', reason);
    throw new ForbiddenError(`Export refused: ${reason}`);
  };
  const held = await heldGrant(deps, token);
  if ('refused' in held) return refuse(held.refused);
  const why = exportRefusal(held.grant, held.foreign.member.id);
  if (why) return refuse(why);
  const { dataset } = held.grant;
  const request = held.grant.request!;
  const index = await deps.counter.index();
  return deps.db.transaction(async (tx) => {
    const candidates = studyCandidates(index, {}, [dataset.id]);
    const members = await memberConsents(
      tx,
      {
        id: request.id,
        status: 'approved',
        purpose: request.purpose as ResearchPurpose,
        match: request.match as CombinedMatchResult,
      },
      candidates,
    );
    const included = members
      .filter((m) => m.consent === 'permit')
      .sort((x, y) => x.num - y.num)
      .map((m) => ({ ...m, sampleId: `S${randomBytes(8).toString('hex')}` }));
    const exportId = randomUUID();
    const vcf = await inlineVcf(tx, {
      exportId,
      grantId: request.id,
      datasetIds: [dataset.id],
      samples: included,
    });
    const sha256 = createHash('sha256').update(vcf.text, 'utf8').digest('hex');
    const member = held.foreign.member.id;
    await appendAuditEvent(tx, null, {
      action: 'network_export.create',
      targetType: 'dataset',
      targetId: dataset.id,
      payload: {
        export: exportId,
        request: request.id,
        member,
        participants: included.length,
        variants: vcf.variantCount,
        vcfSha256: sha256,
      },
    });
    await appendAuditEvents(
      tx,
      null,
      included.map((m) => ({
        action: 'export.include' as const,
        targetType: 'dataset',
        targetId: dataset.id,
        participantId: m.participantId,
        payload: { export: exportId, networkRequest: request.id, member },
      })),
    );
    return {
      export: exportId,
      dataset: { id: dataset.id, name: dataset.name },
      request: request.id,
      samples: included.map((m) => m.sampleId),
      vcf: { text: vcf.text, sha256, variants: vcf.variantCount },
    };
  });
}

/**
 * The export's VCF as text, for the JSON answer of a network export (not kept in the file
 * store: the requesting member's researcher receives it once). Written by the same streaming
 * writer as a local export, so both follow one genotype rule; the BGZF members are then
 * inflated here, so this answer, unlike a local download, is held in memory whole.
 */
async function inlineVcf(
  tx: Parameters<typeof writeExportVcf>[0],
  input: Parameters<typeof writeExportVcf>[1],
): Promise<{ text: string; variantCount: number }> {
  const chunks: Buffer[] = [];
  const collect = () =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
  const written = await writeExportVcf(
    tx,
    input,
    collect(),
    new Writable({ write: (_c, _e, done) => done() }),
  );
  return {
    text: gunzipSync(Buffer.concat(chunks)).toString('utf8'),
    variantCount: written.variantCount,
  };
}
