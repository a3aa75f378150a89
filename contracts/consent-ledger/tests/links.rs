//! Participant links across member sites: each site's relying party, offers and acceptances
//! signed by the participant's passkey at each end, replays and wrong keys refused, and the
//! latest decision read across a link group. Every refusal changes nothing.
//!
//! The host has no P-256 (see `MockApi`): a signature "verifies" when listed in
//! `chain.api.valid_signatures`; the real curve check runs on the wasm in contracts-client.

mod common;

use common::*;
use consent_ledger::encoding::base64url_encode;

const SITE_A: &str = "wasm1sqteazzzzz";
const SITE_B: &str = "wasm1sqtepzzzzz";
const SITE_C: &str = "wasm1sqtecczzzz";
const RP_A: (&str, &str) = ("https://a.example.org", "a.example.org");
const RP_B: (&str, &str) = ("https://b.example.org", "b.example.org");
const NONCE: &str = "1111111111111111111111111111111111111111111111111111111111111111";

fn member(id: &str, writer: &str) -> Value {
    json!({
        "id": id, "name": format!("Hospital {id}"), "writer": writer,
        "passport_jwks_url": format!("https://{id}.example.org/jwks.json"),
        "passport_key_ids": ["k1"], "beacon_url": format!("https://{id}.example.org/beacon")
    })
}

/// A signed assertion over `challenge` for `rp`, with a signature the mock accepts.
struct Signer {
    n: u8,
}

impl Signer {
    fn assert(&mut self, c: &mut Chain, rp: (&str, &str), key_id: &str, challenge: &[u8], counter: u32) -> Value {
        self.n += 1;
        let r = [self.n; 32];
        let s = [0x22u8; 32];
        let mut raw = [0u8; 64];
        raw[..32].copy_from_slice(&r);
        raw[32..].copy_from_slice(&s);
        c.api.valid_signatures.push(raw);
        let mut der = vec![0x30, 68, 0x02, 32];
        der.extend_from_slice(&r);
        der.extend_from_slice(&[0x02, 32]);
        der.extend_from_slice(&s);
        let mut auth = sha256(rp.1.as_bytes()).to_vec();
        auth.push(0x01);
        auth.extend_from_slice(&counter.to_be_bytes());
        let client =
            json!({"type": "webauthn.get", "challenge": base64url_encode(challenge), "origin": rp.0}).to_string();
        json!({
            "key_id": key_id,
            "authenticator_data": base64url_encode(&auth),
            "client_data_json": base64url_encode(client.as_bytes()),
            "signature": base64url_encode(&der),
        })
    }
}

fn offer_challenge(nonce: &str, subject: &str, to: &str) -> Vec<u8> {
    sha256(
        format!(r#"{{"action":"offer_link","nonce":"{nonce}","subject":"{subject}","to_member":"{to}"}}"#).as_bytes(),
    )
    .to_vec()
}

fn accept_challenge(nonce: &str, from: &str, subject: &str) -> Vec<u8> {
    sha256(
        format!(r#"{{"action":"accept_link","from_subject":"{from}","nonce":"{nonce}","subject":"{subject}"}}"#)
            .as_bytes(),
    )
    .to_vec()
}

/// Sites a, b and c, each with its own RP (c has none: the contract's is its fallback), and a
/// participant enrolled at a (subject `pa`, key `ka`) and b (`pb`, `kb`).
fn network() -> Chain {
    let mut c = Chain::new();
    c.ok(ADMIN, json!({"set_webauthn": {"origin": "https://consent.example", "rp_id": "consent.example"}}));
    for (id, w) in [("site-a", SITE_A), ("site-b", SITE_B), ("site-c", SITE_C)] {
        c.ok(ADMIN, json!({"admit_member": {"member": member(id, w)}}));
    }
    c.ok(SITE_A, json!({"set_site_webauthn": {"origin": RP_A.0, "rp_id": RP_A.1}}));
    c.ok(SITE_B, json!({"set_site_webauthn": {"origin": RP_B.0, "rp_id": RP_B.1}}));
    for (w, subject, key) in [(SITE_A, "pa", "ka"), (SITE_B, "pb", "kb"), (SITE_C, "pc", "kc")] {
        c.ok(
            w,
            json!({"register_passkey": {"subject": hex64(subject), "key_id": key,
                "public_key": format!("04{}", "11".repeat(64)), "proof": {"institution": {"witness": "enrolment"}}}}),
        );
    }
    c
}

fn offer(sig: &mut Signer, c: &mut Chain, nonce: &str, counter: u32) -> Value {
    let assertion = sig.assert(c, RP_A, "ka", &offer_challenge(nonce, &hex64("pa"), "site-b"), counter);
    json!({"offer_link": {"subject": hex64("pa"), "nonce": nonce, "to_member": "site-b", "assertion": assertion}})
}

fn accept(sig: &mut Signer, c: &mut Chain, nonce: &str, subject: &str, key: &str, counter: u32) -> Value {
    let assertion = sig.assert(c, RP_B, key, &accept_challenge(nonce, &hex64("pa"), &hex64(subject)), counter);
    json!({"accept_link": {"nonce": nonce, "subject": hex64(subject), "assertion": assertion}})
}

#[test]
fn each_site_sets_its_own_relying_party_and_keys_follow_the_site_that_registered_them() {
    let mut c = network();
    assert_eq!(c.query(json!({"site_webauthn": {"writer": SITE_A}})), json!({"origin": RP_A.0, "rp_id": RP_A.1}));
    assert_eq!(c.query(json!({"site_webauthn": {"writer": SITE_C}})), Value::Null);
    assert_eq!(c.query(json!({"passkeys": {"subject": hex64("pa")}}))["passkeys"][0]["writer"], SITE_A);
    c.fails(OTHER, json!({"set_site_webauthn": {"origin": RP_A.0, "rp_id": RP_A.1}}), "not a writer");
    c.fails(SITE_A, json!({"set_site_webauthn": {"origin": "http://evil.example", "rp_id": "x"}}), "not an https");

    // A consent signed at site a verifies against a's RP, not against the contract's or b's.
    let mut sig = Signer { n: 0 };
    let item = json!({"event_id": "e1", "subject": hex64("pa"), "scope": "discovery", "decision": "deny",
        "version": 1, "format": 2, "evidence": hex64("ev"), "time": "1700000000"});
    let digest = c.query(json!({"record_digest": {"item": item}}))["digest"].as_str().unwrap().to_string();
    let challenge = consent_ledger::encoding::hex_decode(&digest).unwrap();
    for rp in [RP_B, ("https://consent.example", "consent.example")] {
        let a = sig.assert(&mut c, rp, "ka", &challenge, 1);
        let mut signed = item.clone();
        signed["proof"] = json!({"passkey": {"assertion": a}});
        c.fails(SITE_A, json!({"record_consents": {"items": [signed]}}), "the origin is not the configured one");
    }
    let a = sig.assert(&mut c, RP_A, "ka", &challenge, 1);
    let mut signed = item;
    signed["proof"] = json!({"passkey": {"assertion": a}});
    c.ok(SITE_A, json!({"record_consents": {"items": [signed]}}));

    // Site c set none: its keys use the contract's relying party, as a single site does.
    let item = json!({"event_id": "e2", "subject": hex64("pc"), "scope": "discovery", "decision": "deny",
        "version": 1, "format": 2, "evidence": hex64("ev"), "time": "1700000000"});
    let digest = c.query(json!({"record_digest": {"item": item}}))["digest"].as_str().unwrap().to_string();
    let a = sig.assert(&mut c, ("https://consent.example", "consent.example"), "kc", &hex_decode(&digest), 1);
    let mut signed = item;
    signed["proof"] = json!({"passkey": {"assertion": a}});
    c.ok(SITE_C, json!({"record_consents": {"items": [signed]}}));
}

fn hex_decode(h: &str) -> Vec<u8> {
    consent_ledger::encoding::hex_decode(h).unwrap()
}

#[test]
fn a_link_needs_the_participant_s_passkey_at_both_sites_and_groups_their_pseudonyms() {
    let mut c = network();
    let mut sig = Signer { n: 0 };
    let msg = offer(&mut sig, &mut c, NONCE, 1);
    let r = c.ok(SITE_A, msg);
    assert_eq!(r["events"][0]["type"], "link_offered");
    let stored = c.query(json!({"link_offer": {"nonce": NONCE}}));
    assert_eq!((stored["from_member"].as_str(), stored["to_member"].as_str()), (Some("site-a"), Some("site-b")));
    assert_eq!(c.query(json!({"link_group": {"subject": hex64("pa")}})), Value::Null);

    let msg = accept(&mut sig, &mut c, NONCE, "pb", "kb", 1);
    c.ok(SITE_B, msg);
    let group = c.query(json!({"link_group": {"subject": hex64("pb")}}));
    assert_eq!(group["id"], 1);
    let subjects: Vec<(String, String)> = group["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["subject"].as_str().unwrap().into(), m["member"].as_str().unwrap().into()))
        .collect();
    assert_eq!(subjects, vec![(hex64("pa"), "site-a".into()), (hex64("pb"), "site-b".into())]);
    assert_eq!(c.query(json!({"link_group": {"subject": hex64("pa")}})), group);
    assert_eq!(c.query(json!({"link_offer": {"nonce": NONCE}}))["accepted"]["subject"], hex64("pb"));
}

#[test]
fn a_link_signed_by_the_wrong_key_is_refused_and_changes_nothing() {
    let mut c = network();
    let mut sig = Signer { n: 0 };
    // Offer: kb is not a key of pa.
    let assertion = sig.assert(&mut c, RP_A, "kb", &offer_challenge(NONCE, &hex64("pa"), "site-b"), 1);
    c.fails(
        SITE_A,
        json!({"offer_link": {"subject": hex64("pa"), "nonce": NONCE, "to_member": "site-b", "assertion": assertion}}),
        "key \"kb\" is not registered for this subject",
    );
    // Offer signed over another target member: the challenge does not match.
    let assertion = sig.assert(&mut c, RP_A, "ka", &offer_challenge(NONCE, &hex64("pa"), "site-c"), 1);
    c.fails(
        SITE_A,
        json!({"offer_link": {"subject": hex64("pa"), "nonce": NONCE, "to_member": "site-b", "assertion": assertion}}),
        "the challenge is not",
    );
    // A signature the curve check refuses (not in the mock's list).
    let mut forged = sig.assert(&mut c, RP_A, "ka", &offer_challenge(NONCE, &hex64("pa"), "site-b"), 1);
    c.api.valid_signatures.clear();
    forged["key_id"] = json!("ka");
    c.fails(
        SITE_A,
        json!({"offer_link": {"subject": hex64("pa"), "nonce": NONCE, "to_member": "site-b", "assertion": forged}}),
        "the signature does not verify",
    );
    let msg = offer(&mut sig, &mut c, NONCE, 1);
    c.ok(SITE_A, msg);
    // Acceptance: ka (site a's key) cannot sign for pb; kc is c's participant's key.
    for key in ["ka", "kc"] {
        let msg = accept(&mut sig, &mut c, NONCE, "pb", key, 1);
        c.fails(SITE_B, msg, "is not registered for this subject");
    }
    // The participant's key at b, but made at site a's origin (a phished assertion).
    let a = sig.assert(&mut c, RP_A, "kb", &accept_challenge(NONCE, &hex64("pa"), &hex64("pb")), 1);
    c.fails(
        SITE_B,
        json!({"accept_link": {"nonce": NONCE, "subject": hex64("pb"), "assertion": a}}),
        "the origin is not the configured one",
    );
    assert_eq!(c.query(json!({"link_group": {"subject": hex64("pa")}})), Value::Null);
}

#[test]
fn replays_of_a_link_are_refused_and_change_nothing() {
    let mut c = network();
    let mut sig = Signer { n: 0 };
    let offer_msg = offer(&mut sig, &mut c, NONCE, 1);
    c.ok(SITE_A, offer_msg.clone());
    // The same offer again, and a fresh signature over the same nonce.
    c.fails(SITE_A, offer_msg, "replayed: this link nonce was already used");
    let again = offer(&mut sig, &mut c, NONCE, 2);
    c.fails(SITE_A, again, "replayed: this link nonce was already used");

    let accept_msg = accept(&mut sig, &mut c, NONCE, "pb", "kb", 1);
    // Only the member the participant named can accept.
    c.fails(SITE_C, accept_msg.clone(), "this link offer is for member \"site-b\"");
    c.fails(OTHER, accept_msg.clone(), "not a member's writer");
    c.ok(SITE_B, accept_msg.clone());
    // The acceptance replayed, or the used offer accepted for another pseudonym at b.
    c.fails(SITE_B, accept_msg, "replayed: this link offer was already accepted");
    c.ok(
        SITE_B,
        json!({"register_passkey": {"subject": hex64("pb2"), "key_id": "kb2",
            "public_key": format!("04{}", "11".repeat(64)), "proof": {"institution": {"witness": "enrolment"}}}}),
    );
    let other = accept(&mut sig, &mut c, NONCE, "pb2", "kb2", 1);
    c.fails(SITE_B, other, "replayed: this link offer was already accepted");

    // A fresh offer to b again: b already has this participant's pseudonym in the group.
    let nonce2 = hex64("nonce-2");
    let msg = offer(&mut sig, &mut c, &nonce2, 3);
    c.ok(SITE_A, msg);
    let a = sig.assert(&mut c, RP_B, "kb2", &accept_challenge(&nonce2, &hex64("pa"), &hex64("pb2")), 1);
    c.fails(
        SITE_B,
        json!({"accept_link": {"nonce": nonce2, "subject": hex64("pb2"), "assertion": a}}),
        "already has a linked pseudonym at \"site-b\"",
    );
}

#[test]
fn an_offer_expires() {
    let mut c = network();
    let mut sig = Signer { n: 0 };
    let msg = offer(&mut sig, &mut c, NONCE, 1);
    c.ok(SITE_A, msg);
    c.height += 14_401;
    let msg = accept(&mut sig, &mut c, NONCE, "pb", "kb", 1);
    c.fails(SITE_B, msg, "has expired");
}

#[test]
fn the_latest_decision_is_read_across_the_link_group() {
    let mut c = network();
    let mut sig = Signer { n: 0 };
    let record = |c: &mut Chain, sig: &mut Signer, w: &str, rp, subject: &str, key: &str, ev: &str, d: &str, n| {
        let item = json!({"event_id": ev, "subject": hex64(subject), "scope": "purpose:GRU", "decision": d,
            "version": n, "format": 2, "evidence": hex64("ev"), "time": "1700000000"});
        let digest = c.query(json!({"record_digest": {"item": item}}))["digest"].as_str().unwrap().to_string();
        let a = sig.assert(c, rp, key, &hex_decode(&digest), n as u32 * 50);
        let mut signed = item;
        signed["proof"] = json!({"passkey": {"assertion": a}});
        c.ok(w, json!({"record_consents": {"items": [signed]}}));
    };
    record(&mut c, &mut sig, SITE_B, RP_B, "pb", "kb", "b1", "permit", 1);
    record(&mut c, &mut sig, SITE_A, RP_A, "pa", "ka", "a1", "permit", 1);
    let q = |c: &Chain, s: &str| c.query(json!({"linked_consent": {"subject": hex64(s), "scope": "purpose:GRU"}}));
    // Not linked yet: each subject sees only its own.
    assert_eq!(q(&c, "pb")["record"]["event_id"], "b1");
    let msg = offer(&mut sig, &mut c, NONCE, 60);
    c.ok(SITE_A, msg);
    let msg = accept(&mut sig, &mut c, NONCE, "pb", "kb", 60);
    c.ok(SITE_B, msg);
    assert_eq!(q(&c, "pb")["record"]["event_id"], "a1");
    // A withdrawal signed at a is the latest at b too.
    record(&mut c, &mut sig, SITE_A, RP_A, "pa", "ka", "a2", "deny", 2);
    assert_eq!(q(&c, "pb")["record"]["event_id"], "a2");
    assert_eq!(q(&c, "pb")["record"]["decision"], "deny");
    assert_eq!(q(&c, "pc")["record"], Value::Null);
}
