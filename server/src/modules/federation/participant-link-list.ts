import type { LinkOffer, MemberRecord, SigningConsentLedger } from '@consentome/contracts-client';
import { desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Actor } from '../actors/actor.js';
import { signedInParticipant } from '../participants/signed-in-participant.js';
import { participantSiteLinks } from './participant-links.tables.js';

/** What the participant's link page reads of the chain: the registry and their offers. */
export type LinkListLedger = Pick<
  SigningConsentLedger,
  'sender' | 'members' | 'linkOffer' | 'height'
>;

/** A member institution as a participant sees it: its id and its name. */
export interface LinkSite {
  id: string;
  name: string;
}

/** Where a link stands: an offer waiting for the other site, linked, or an offer that lapsed. */
export type LinkStatus = 'pending' | 'linked' | 'expired';

/** One of the participant's links, as their page shows it. */
export interface ParticipantLinkView {
  /** The link code, only while the offer waits (so they can copy it again); null otherwise. */
  code: string | null;
  /** Whether the participant offered the link here, or accepted one made elsewhere. */
  role: 'offer' | 'accept';
  site: LinkSite;
  since: Date;
  status: LinkStatus;
}

/** The participant's link page: this site, the sites they can link with, and their links. */
export interface ParticipantLinking {
  /** This site on the network; null when it is not connected to a chain or not a member. */
  site: LinkSite | null;
  /** The other active members, by name. */
  sites: LinkSite[];
  links: ParticipantLinkView[];
}

const asSite = (m: MemberRecord): LinkSite => ({ id: m.id, name: m.name });

function statusOf(role: 'offer' | 'accept', offer: LinkOffer | null, height: number): LinkStatus {
  if (role === 'accept' || offer?.accepted) return 'linked';
  return offer && height <= offer.expires_height ? 'pending' : 'expired';
}

/**
 * The signed-in participant's links and the sites they may link with. Only their own rows are
 * read (the participant comes from the session, never from an argument). A site without a chain
 * still lists what it recorded, with the other site named by its id.
 */
export async function participantLinking(
  tx: Tx,
  actor: Actor | null,
  ledger: LinkListLedger | null,
): Promise<ParticipantLinking> {
  const participant = await signedInParticipant(tx, actor, { lock: false });
  const rows = await tx
    .select()
    .from(participantSiteLinks)
    .where(eq(participantSiteLinks.participantId, participant.id))
    .orderBy(desc(participantSiteLinks.createdAt));
  if (!ledger)
    return {
      site: null,
      sites: [],
      links: rows.map((r) => ({
        code: null,
        role: r.role as 'offer' | 'accept',
        site: { id: r.otherMember, name: r.otherMember },
        since: r.createdAt,
        status: r.role === 'accept' ? 'linked' : 'pending',
      })),
    };
  const [members, height] = await Promise.all([
    ledger.members({ includeRemoved: true }),
    ledger.height(),
  ]);
  const self = members.find((m) => m.writer === ledger.sender && !m.removed);
  const byId = new Map(members.map((m) => [m.id, m]));
  const links = await Promise.all(
    rows.map(async (r): Promise<ParticipantLinkView> => {
      const role = r.role as 'offer' | 'accept';
      const offer = role === 'offer' ? await ledger.linkOffer(r.nonce) : null;
      const status = statusOf(role, offer, height);
      const member = byId.get(r.otherMember);
      return {
        code: status === 'pending' ? r.nonce : null,
        role,
        site: member ? asSite(member) : { id: r.otherMember, name: r.otherMember },
        since: r.createdAt,
        status,
      };
    }),
  );
  return {
    site: self ? asSite(self) : null,
    sites: self ? members.filter((m) => !m.removed && m.id !== self.id).map(asSite) : [],
    links,
  };
}
