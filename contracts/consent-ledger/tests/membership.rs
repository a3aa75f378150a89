//! The network's member institutions: bootstrap by the admin, then proposals and votes by the
//! members; writers follow membership; every refusal changes nothing.

mod common;

use common::*;

const SITE_A: &str = "wasm1sqteazzzzz";
const SITE_B: &str = "wasm1sqtepzzzzz";
const SITE_C: &str = "wasm1sqtecczzzz";
const SITE_D: &str = "wasm1sqtedzzzzz";

fn member(id: &str, writer: &str) -> Value {
    json!({
        "id": id,
        "name": format!("Hospital {id}"),
        "writer": writer,
        "passport_jwks_url": format!("https://{id}.example.org/.well-known/jwks.json"),
        "passport_key_ids": [format!("{id}-2026")],
        "beacon_url": format!("https://{id}.example.org/beacon/v2")
    })
}

fn admit(c: &mut Chain, id: &str, writer: &str) -> Value {
    c.ok(ADMIN, json!({"admit_member": {"member": member(id, writer)}}))
}

fn propose_join(id: &str, writer: &str) -> Value {
    json!({"propose_membership": {"change": {"join": {"member": member(id, writer)}}}})
}

fn vote(id: u64, approve: bool) -> Value {
    json!({"vote_membership": {"proposal_id": id, "approve": approve}})
}

fn writers(c: &Chain) -> Vec<String> {
    serde_json::from_value(c.query(json!({"config": {}}))["writers"].clone()).unwrap()
}

fn ids(c: &Chain, include_removed: bool) -> Vec<String> {
    c.query(json!({"members": {"include_removed": include_removed}}))["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

/// Three founding members, bootstrap closed.
fn network_of_three() -> Chain {
    let mut c = Chain::new();
    admit(&mut c, "site-a", SITE_A);
    admit(&mut c, "site-b", SITE_B);
    admit(&mut c, "site-c", SITE_C);
    c.ok(ADMIN, json!({"close_bootstrap": {}}));
    c
}

#[test]
fn the_admin_admits_founding_members_who_become_writers() {
    let mut c = Chain::new();
    let r = admit(&mut c, "site-a", SITE_A);
    assert_eq!(attr(&r, "action"), "admit_member");
    assert!(writers(&c).contains(&SITE_A.to_string()));
    let m = c.query(json!({"member": {"id": "site-a"}}));
    assert_eq!(m["writer"], SITE_A);
    assert_eq!(m["admitted_by"], "admin");
    assert_eq!(m["passport_key_ids"], json!(["site-a-2026"]));
    assert_eq!(c.query(json!({"member_by_writer": {"address": SITE_A}}))["id"], "site-a");
    assert_eq!(c.query(json!({"member_by_writer": {"address": OTHER}})), Value::Null);
    let n = c.query(json!({"network": {}}));
    assert_eq!(n["bootstrap_closed"], false);
    assert_eq!(n["active_members"], 1);
    assert_eq!(n["votes_needed"], 1);
}

#[test]
fn only_the_admin_admits_and_only_during_the_bootstrap() {
    let mut c = Chain::new();
    c.fails(WRITER, json!({"admit_member": {"member": member("site-a", SITE_A)}}), "is not the admin");
    c.fails(ADMIN, json!({"close_bootstrap": {}}), "admit at least one member");
    admit(&mut c, "site-a", SITE_A);
    c.fails(SITE_A, json!({"close_bootstrap": {}}), "is not the admin");
    c.ok(ADMIN, json!({"close_bootstrap": {}}));
    c.fails(ADMIN, json!({"admit_member": {"member": member("site-b", SITE_B)}}), "bootstrap is closed");
    c.fails(ADMIN, json!({"close_bootstrap": {}}), "already closed");
    // The operator is no longer above the members: no writers of its own any more.
    c.fails(ADMIN, json!({"add_writer": {"address": OTHER}}), "bootstrap is closed");
    c.fails(ADMIN, json!({"remove_writer": {"address": SITE_A}}), "bootstrap is closed");
}

#[test]
fn a_member_s_writer_is_not_removed_behind_its_back() {
    let mut c = Chain::new();
    admit(&mut c, "site-a", SITE_A);
    c.fails(ADMIN, json!({"remove_writer": {"address": SITE_A}}), "writes for a member");
    // Plain writers stay the admin's to manage during the bootstrap.
    c.ok(ADMIN, json!({"remove_writer": {"address": WRITER}}));
}

#[test]
fn bad_member_details_are_refused() {
    let mut c = Chain::new();
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let with = |k: &str, v: Value| {
        let mut m = member("site-a", SITE_A);
        m[k] = v;
        m
    };
    cases.push((with("id", json!("Site A")), "member id"));
    cases.push((with("id", json!("a")), "member id"));
    cases.push((with("name", json!("")), "name"));
    cases.push((with("name", json!(" padded")), "name"));
    cases.push((with("writer", json!("not an address")), "address"));
    cases.push((with("passport_jwks_url", json!("http://evil.example.org/jwks")), "passport_jwks_url"));
    cases.push((with("passport_jwks_url", json!("ftp://a.example.org")), "passport_jwks_url"));
    cases.push((with("beacon_url", json!("https://a.example.org/b eacon")), "beacon_url"));
    cases.push((with("passport_key_ids", json!([])), "passport_key_ids"));
    cases.push((with("passport_key_ids", json!(["k1", "k1"])), "twice"));
    cases.push((with("passport_key_ids", json!(["bad id"])), "passport_key_ids"));
    for (m, needle) in cases {
        c.fails(ADMIN, json!({"admit_member": {"member": m}}), needle);
    }
    let mut extra = member("site-a", SITE_A);
    extra["role"] = json!("admin");
    c.fails(ADMIN, json!({"admit_member": {"member": extra}}), "unknown field");
    // A one-machine network may use plain http on loopback.
    let mut local = member("site-a", SITE_A);
    local["beacon_url"] = json!("http://127.0.0.1:4101/beacon/v2");
    local["passport_jwks_url"] = json!("http://localhost:4101/passports/jwks.json");
    c.ok(ADMIN, json!({"admit_member": {"member": local}}));
}

#[test]
fn ids_and_writer_addresses_are_never_reused() {
    let mut c = Chain::new();
    admit(&mut c, "site-a", SITE_A);
    c.fails(ADMIN, json!({"admit_member": {"member": member("site-a", SITE_B)}}), "is taken");
    c.fails(ADMIN, json!({"admit_member": {"member": member("site-b", SITE_A)}}), "already writes for member");
    admit(&mut c, "site-b", SITE_B);
    c.ok(SITE_A, json!({"leave_network": {}}));
    c.fails(ADMIN, json!({"admit_member": {"member": member("site-a", SITE_C)}}), "is taken");
    c.fails(ADMIN, json!({"admit_member": {"member": member("site-c", SITE_A)}}), "already writes for member");
    // The address that left stays attributable to the member it wrote for.
    assert_eq!(c.query(json!({"member_by_writer": {"address": SITE_A}}))["id"], "site-a");
}

#[test]
fn a_join_passes_with_a_strict_majority_and_the_newcomer_writes() {
    let mut c = network_of_three();
    let r = c.ok(SITE_A, propose_join("site-d", SITE_D));
    assert_eq!(attr(&r, "proposal_id"), "1");
    assert_eq!(attr(&r, "status"), "open");
    // Not a writer until admitted: its consent records are refused.
    c.fails(
        SITE_D,
        json!({"anchor_audit": {"batch": 1, "merkle_root": hex64("r"), "first_seq": 1, "last_seq": 1, "count": 1}}),
        "is not a writer",
    );
    let r = c.ok(SITE_B, vote(1, true));
    assert_eq!(attr(&r, "status"), "passed");
    let m = c.query(json!({"member": {"id": "site-d"}}));
    assert_eq!(m["admitted_by"], "proposal:1");
    assert!(writers(&c).contains(&SITE_D.to_string()));
    let p = c.query(json!({"membership_proposal": {"proposal_id": 1}}));
    assert_eq!(p["status"], "passed");
    assert_eq!(p["yes"], json!(["site-a", "site-b"]));
    assert_eq!(p["electorate"], json!(["site-a", "site-b", "site-c"]));
    // Decided: no more votes.
    c.fails(SITE_C, vote(1, false), "already decided");
    assert_eq!(c.query(json!({"network": {}}))["votes_needed"], 3);
}

#[test]
fn a_proposal_is_rejected_once_a_majority_is_out_of_reach() {
    let mut c = network_of_three();
    c.ok(SITE_A, propose_join("site-d", SITE_D));
    let r = c.ok(SITE_B, vote(1, false));
    assert_eq!(attr(&r, "status"), "open");
    let r = c.ok(SITE_C, vote(1, false));
    assert_eq!(attr(&r, "status"), "rejected");
    assert_eq!(c.query(json!({"member": {"id": "site-d"}})), Value::Null);
    assert!(!writers(&c).contains(&SITE_D.to_string()));
    // A rejected join may be proposed again.
    c.ok(SITE_B, propose_join("site-d", SITE_D));
}

#[test]
fn votes_are_from_the_electorate_once_and_within_the_period() {
    let mut c = network_of_three();
    c.ok(SITE_A, propose_join("site-d", SITE_D));
    c.fails(SITE_A, vote(1, true), "already voted");
    c.fails(OTHER, vote(1, true), "is not a member's writer");
    c.fails(ADMIN, vote(1, true), "is not a member's writer");
    c.fails(SITE_B, vote(2, true), "no membership proposal 2");
    c.fails(SITE_B, propose_join("site-d", SITE_D), "still open");
    c.height += consent_ledger::members::VOTING_PERIOD_BLOCKS + 1;
    c.fails(SITE_B, vote(1, true), "expired");
    assert_eq!(c.query(json!({"membership_proposal": {"proposal_id": 1}}))["status"], "expired");
    // Once expired it no longer blocks a fresh proposal.
    c.ok(SITE_B, propose_join("site-d", SITE_D));
}

#[test]
fn a_removed_member_stops_writing_at_once() {
    let mut c = network_of_three();
    c.ok(SITE_A, json!({"propose_membership": {"change": {"remove": {"id": "site-c"}}}}));
    let r = c.ok(SITE_B, vote(1, true));
    assert_eq!(attr(&r, "status"), "passed");
    let m = c.query(json!({"member": {"id": "site-c"}}));
    assert_eq!(m["removed"]["by"], "proposal:1");
    assert!(!writers(&c).contains(&SITE_C.to_string()));
    assert_eq!(ids(&c, false), vec!["site-a", "site-b"]);
    assert_eq!(ids(&c, true), vec!["site-a", "site-b", "site-c"]);
    let grant = json!({"record_grants": {"items": [{"event_id": "g1", "grant_id": "g1", "study_id": "s1", "cohort_root": hex64("c"), "expiry": 1}]}});
    c.fails(SITE_C, grant.clone(), "is not a writer");
    c.fails(SITE_C, propose_join("site-e", OTHER), "is not a member's writer");
    c.ok(SITE_A, grant);
}

#[test]
fn removal_proposals_name_an_active_member() {
    let mut c = network_of_three();
    let remove = |id: &str| json!({"propose_membership": {"change": {"remove": {"id": id}}}});
    c.fails(SITE_A, remove("site-x"), "not an active member");
    c.fails(SITE_A, remove("Site X"), "member id");
    c.ok(SITE_A, remove("site-c"));
    c.fails(SITE_B, remove("site-c"), "still open");
}

#[test]
fn a_member_updates_only_itself_and_leaves_unless_it_is_the_last() {
    let mut c = network_of_three();
    let update = json!({"update_member": {"update": {"passport_key_ids": ["site-a-2026", "site-a-2027"]}}});
    c.fails(OTHER, update.clone(), "is not a member's writer");
    c.ok(SITE_A, update);
    assert_eq!(c.query(json!({"member": {"id": "site-a"}}))["passport_key_ids"], json!(["site-a-2026", "site-a-2027"]));
    c.fails(SITE_A, json!({"update_member": {"update": {}}}), "changes nothing");
    c.fails(SITE_A, json!({"update_member": {"update": {"beacon_url": "http://a.example.org"}}}), "beacon_url");
    c.fails(SITE_A, json!({"update_member": {"update": {"writer": OTHER}}}), "unknown field");
    c.ok(SITE_B, json!({"leave_network": {}}));
    c.ok(SITE_C, json!({"leave_network": {}}));
    assert!(!writers(&c).contains(&SITE_B.to_string()));
    c.fails(SITE_A, json!({"leave_network": {}}), "last member");
    c.fails(SITE_B, json!({"leave_network": {}}), "is not a member's writer");
}

#[test]
fn a_single_member_decides_alone_and_a_pair_needs_both() {
    let mut c = Chain::new();
    admit(&mut c, "site-a", SITE_A);
    c.ok(ADMIN, json!({"close_bootstrap": {}}));
    let r = c.ok(SITE_A, propose_join("site-b", SITE_B));
    assert_eq!(attr(&r, "status"), "passed");
    let r = c.ok(SITE_A, propose_join("site-c", SITE_C));
    assert_eq!(attr(&r, "status"), "open");
    let r = c.ok(SITE_B, vote(2, false));
    assert_eq!(attr(&r, "status"), "rejected");
    let page = c.query(json!({"membership_proposals": {"start_after": 1, "limit": 5}}));
    assert_eq!(page["proposals"].as_array().unwrap().len(), 1);
    assert_eq!(page["proposals"][0]["id"], 2);
}
