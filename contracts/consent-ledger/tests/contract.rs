//! End-to-end host tests: JSON in, JSON out, through `consent_ledger::entry` (exactly what the
//! wasm exports call), over an in-memory storage.

mod common;

use common::*;
use consent_ledger::entry;
use consent_ledger::storage::{MemStorage, MockApi};

fn consent(event_id: &str, subject: &str, scope: &str, decision: &str, version: u64) -> Value {
    json!({
        "event_id": event_id,
        "subject": hex64(subject),
        "scope": scope,
        "decision": decision,
        "version": version,
        "evidence": hex64(&format!("evidence-{event_id}")),
        "time": "2024-05-01T12:00:00.000Z"
    })
}

fn record(items: Vec<Value>) -> Value {
    json!({"record_consents": {"items": items}})
}

fn anchor(batch: u64, first: u64, last: u64) -> Value {
    json!({"anchor_audit": {"batch": batch, "merkle_root": hex64(&format!("root{batch}")), "first_seq": first, "last_seq": last, "count": last - first + 1}})
}

fn grant(event_id: &str, grant_id: &str, expiry: Value) -> Value {
    json!({"event_id": event_id, "grant_id": grant_id, "study_id": "study-1", "cohort_root": hex64(grant_id), "expiry": expiry})
}

// ------------------------------------------------------------------ instantiate / writers

#[test]
fn instantiate_sets_config_and_zero_head() {
    let c = Chain::new();
    assert_eq!(c.query(json!({"config": {}})), json!({"admin": ADMIN, "writers": [WRITER]}));
    assert_eq!(c.head(), json!({"head": ZERO_HEAD, "consents": 0, "anchors": 0, "grants": 0}));
}

#[test]
fn instantiate_rejects_bad_addresses_and_writes_nothing() {
    let mut c = Chain { store: MemStorage::new(), height: 1, api: Default::default() };
    let r = c.instantiate(json!({"admin": "not an address", "writers": []}));
    assert!(r["error"].as_str().unwrap().contains("address"), "{r}");
    let r = c.instantiate(json!({"admin": ADMIN, "writers": [WRITER, "WASM1UPPER"]}));
    assert!(r.get("error").is_some(), "{r}");
    assert!(c.store.map.is_empty());
}

#[test]
fn non_writer_is_rejected_and_state_unchanged() {
    let mut c = Chain::new();
    c.fails(OTHER, record(vec![consent("e1", "s1", "research", "permit", 1)]), "unauthorized");
    c.fails(OTHER, anchor(1, 1, 1), "unauthorized");
    c.fails(OTHER, json!({"record_grants": {"items": [grant("g-e1", "g1", json!(1))]}}), "unauthorized");
    // The admin manages writers but is not one.
    c.fails(ADMIN, record(vec![consent("e1", "s1", "research", "permit", 1)]), "not a writer");
}

#[test]
fn only_admin_manages_writers() {
    let mut c = Chain::new();
    c.fails(WRITER, json!({"add_writer": {"address": WRITER2}}), "not the admin");
    c.fails(OTHER, json!({"remove_writer": {"address": WRITER}}), "not the admin");
    c.fails(ADMIN, json!({"add_writer": {"address": "bad address"}}), "address");

    let r = c.ok(ADMIN, json!({"add_writer": {"address": WRITER2}}));
    assert_eq!(attr(&r, "changed"), "true");
    assert_eq!(r["events"][0]["type"], "writers_changed");
    let r = c.ok(ADMIN, json!({"add_writer": {"address": WRITER2}}));
    assert_eq!(attr(&r, "changed"), "false");
    c.ok(WRITER2, record(vec![consent("e1", "s1", "research", "permit", 1)]));

    c.ok(ADMIN, json!({"remove_writer": {"address": WRITER2}}));
    c.fails(WRITER2, record(vec![consent("e2", "s1", "research", "deny", 2)]), "not a writer");
    assert_eq!(c.query(json!({"config": {}}))["writers"], json!([WRITER]));
}

#[test]
fn funds_are_rejected() {
    let mut c = Chain::new();
    let msg = record(vec![consent("e1", "s1", "research", "permit", 1)]).to_string();
    let info = json!({"sender": WRITER, "funds": [{"denom": "ustake", "amount": "1"}]}).to_string();
    let before = c.store.clone();
    let r = parse(entry::execute(&mut c.store, &MockApi::default(), &env(5), info.as_bytes(), msg.as_bytes()));
    assert!(r["error"].as_str().unwrap().contains("funds"), "{r}");
    assert_eq!(c.store, before);
}

// ------------------------------------------------------------------ consents

/// Independent re-implementation of the documented head chain (README "Head hash").
fn expected_consent_head(prev: &str, items: &[Value]) -> String {
    let mut head = [0u8; 32];
    head.copy_from_slice(&consent_ledger::encoding::hex_decode(prev).unwrap());
    for it in items {
        let mut b = vec![1u8];
        let s = |b: &mut Vec<u8>, v: &str| {
            b.extend_from_slice(&(v.len() as u32).to_be_bytes());
            b.extend_from_slice(v.as_bytes());
        };
        s(&mut b, it["event_id"].as_str().unwrap());
        s(&mut b, it["subject"].as_str().unwrap());
        s(&mut b, it["scope"].as_str().unwrap());
        s(&mut b, it["decision"].as_str().unwrap());
        b.extend_from_slice(&it["version"].as_u64().unwrap().to_be_bytes());
        s(&mut b, it["evidence"].as_str().unwrap());
        s(&mut b, it["time"].as_str().unwrap());
        head = sha256(&[&head[..], &b].concat());
    }
    hex_encode(&head)
}

#[test]
fn record_consents_happy_path() {
    let mut c = Chain::new();
    let items = vec![consent("e1", "s1", "research", "permit", 1), consent("e2", "s1", "recontact", "deny", 1)];
    let r = c.ok(WRITER, record(items.clone()));
    let head = expected_consent_head(ZERO_HEAD, &items);
    assert_eq!(attr(&r, "action"), "record_consents");
    assert_eq!(attr(&r, "head"), head);
    assert_eq!(attr(&r, "new"), "2");
    assert_eq!(attr(&r, "replayed"), "0");
    assert_eq!(r["messages"], json!([]));
    let ev = &r["events"][0];
    assert_eq!(ev["type"], "consent_recorded");
    let ev_attrs: Vec<(String, String)> = ev["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["key"].as_str().unwrap().into(), a["value"].as_str().unwrap().into()))
        .collect();
    assert!(ev_attrs.contains(&("head".into(), head.clone())));
    assert!(ev_attrs.contains(&("first_seq".into(), "1".into())));
    assert!(ev_attrs.contains(&("last_seq".into(), "2".into())));
    let data: Value = serde_json::from_slice(&b64decode(r["data"].as_str().unwrap())).unwrap();
    assert_eq!(
        data["items"],
        json!([{"id": "e1", "seq": 1, "replayed": false}, {"id": "e2", "seq": 2, "replayed": false}])
    );

    assert_eq!(c.head(), json!({"head": head, "consents": 2, "anchors": 0, "grants": 0}));
    let got = c.query(json!({"consent": {"subject": hex64("s1"), "scope": "research"}}));
    assert_eq!(got["event_id"], "e1");
    assert_eq!(got["decision"], "permit");
    assert_eq!(got["seq"], 1);
    assert_eq!(got["block_height"], 2);
    assert_eq!(got["block_time"], "1700000000123456789");
    assert_eq!(c.query(json!({"consent": {"subject": hex64("s1"), "scope": "other"}})), Value::Null);
    assert_eq!(c.query(json!({"event": {"event_id": "e2"}}))["seq"], 2);
    assert_eq!(c.query(json!({"event": {"event_id": "nope"}})), Value::Null);

    // Newer version replaces "latest"; history keeps both.
    c.ok(WRITER, record(vec![consent("e3", "s1", "research", "deny", 2)]));
    let got = c.query(json!({"consent": {"subject": hex64("s1"), "scope": "research"}}));
    assert_eq!((got["event_id"].as_str(), got["version"].as_u64()), (Some("e3"), Some(2)));
    assert_eq!(c.head()["consents"], 3);
}

#[test]
fn unix_seconds_time_is_accepted() {
    let mut c = Chain::new();
    let mut it = consent("e1", "s1", "research", "permit", 1);
    it["time"] = json!("1714564800");
    c.ok(WRITER, record(vec![it]));
    let mut bad = consent("e2", "s1", "research", "permit", 2);
    bad["time"] = json!("yesterday");
    c.fails(WRITER, record(vec![bad]), "time");
}

#[test]
fn replay_is_accepted_and_changes_nothing() {
    let mut c = Chain::new();
    let items = vec![consent("e1", "s1", "research", "permit", 1), consent("e2", "s2", "research", "permit", 1)];
    c.ok(WRITER, record(items.clone()));
    let head = c.head();
    let before = c.store.clone();
    let r = c.ok(WRITER, record(items.clone()));
    assert_eq!(attr(&r, "new"), "0");
    assert_eq!(attr(&r, "replayed"), "2");
    assert_eq!(attr(&r, "head"), head["head"].as_str().unwrap());
    assert_eq!(c.store, before, "replay changed storage");
    // Replays inside a batch with new items: only the new ones count and move the head.
    let r = c.ok(WRITER, record(vec![items[1].clone(), consent("e3", "s3", "research", "deny", 1), items[1].clone()]));
    assert_eq!((attr(&r, "new"), attr(&r, "replayed")), ("1".into(), "2".into()));
    let data: Value = serde_json::from_slice(&b64decode(r["data"].as_str().unwrap())).unwrap();
    assert_eq!(data["items"][0], json!({"id": "e2", "seq": 2, "replayed": true}));
    assert_eq!(data["items"][1], json!({"id": "e3", "seq": 3, "replayed": false}));
    assert_eq!(data["items"][2], json!({"id": "e2", "seq": 2, "replayed": true}));
    assert_eq!(
        attr(&r, "head"),
        expected_consent_head(head["head"].as_str().unwrap(), &[consent("e3", "s3", "research", "deny", 1)])
    );
}

#[test]
fn same_event_id_different_payload_is_a_conflict() {
    let mut c = Chain::new();
    c.ok(WRITER, record(vec![consent("e1", "s1", "research", "permit", 1)]));
    c.fails(WRITER, record(vec![consent("e1", "s1", "research", "deny", 1)]), "conflict");
    c.fails(WRITER, record(vec![consent("e1", "s1", "research", "permit", 7)]), "conflict");
    // Within one batch, too.
    c.fails(
        WRITER,
        record(vec![consent("e9", "s1", "x", "permit", 1), consent("e9", "s1", "x", "deny", 1)]),
        "conflict",
    );
    // Event ids are unique across kinds.
    c.fails(WRITER, json!({"record_grants": {"items": [grant("e1", "g1", json!(10))]}}), "conflict");
}

#[test]
fn versions_must_increase() {
    let mut c = Chain::new();
    c.ok(WRITER, record(vec![consent("e1", "s1", "research", "permit", 3)]));
    c.fails(WRITER, record(vec![consent("e2", "s1", "research", "deny", 3)]), "version");
    c.fails(WRITER, record(vec![consent("e2", "s1", "research", "deny", 2)]), "version");
    c.fails(
        WRITER,
        record(vec![consent("e2", "s1", "research", "deny", 4), consent("e3", "s1", "research", "permit", 4)]),
        "items[1]",
    );
    // Other scope / other subject are independent.
    c.ok(WRITER, record(vec![consent("e4", "s1", "other", "deny", 1), consent("e5", "s2", "research", "deny", 1)]));
    c.ok(
        WRITER,
        record(vec![consent("e6", "s1", "research", "deny", 4), consent("e7", "s1", "research", "permit", 9)]),
    );
}

#[test]
fn bad_fields_are_rejected() {
    let mut c = Chain::new();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("subject", json!(hex64("s").to_uppercase()), "subject"),
        ("subject", json!(&hex64("s")[..63]), "subject"),
        ("evidence", json!(format!("{}0", hex64("s"))), "evidence"),
        ("evidence", json!("zz"), "evidence"),
        ("scope", json!(""), "scope"),
        ("scope", json!("has space"), "scope"),
        ("scope", json!("x".repeat(129)), "scope"),
        ("event_id", json!("a/b"), "event_id"),
        ("decision", json!("maybe"), "parse error"),
        ("version", json!(-1), "parse error"),
    ];
    for (field, value, needle) in cases {
        let mut it = consent("e1", "s1", "research", "permit", 1);
        it[field] = value;
        c.fails(WRITER, record(vec![it]), needle);
    }
    let mut extra = consent("e1", "s1", "research", "permit", 1);
    extra["name"] = json!("Alice");
    c.fails(WRITER, record(vec![extra]), "unknown field");
}

#[test]
fn batch_limits() {
    let mut c = Chain::new();
    let items = |n: usize| {
        (0..n).map(|i| consent(&format!("e{i}"), &format!("s{i}"), "research", "permit", 1)).collect::<Vec<_>>()
    };
    c.fails(WRITER, record(items(501)), "exceeds the maximum of 500");
    c.fails(WRITER, record(vec![]), "empty");
    let r = c.ok(WRITER, record(items(500)));
    assert_eq!(attr(&r, "new"), "500");
    assert_eq!(c.head()["consents"], 500);
}

#[test]
fn one_bad_item_rejects_the_whole_batch() {
    let mut c = Chain::new();
    let mut items: Vec<Value> =
        (0..10).map(|i| consent(&format!("e{i}"), "s", &format!("scope{i}"), "permit", 1)).collect();
    items[9]["evidence"] = json!("not-hex");
    c.fails(WRITER, record(items), "items[9]");
    assert_eq!(c.head()["consents"], 0);
}

#[test]
fn format_2_records_say_ask_and_name_known_scopes() {
    let mut c = Chain::new();
    let f2 = |id: &str, scope: &str, decision: &str| {
        let mut it = consent(id, "s1", scope, decision, 1);
        it["format"] = json!(2);
        it
    };
    c.ok(
        WRITER,
        record(vec![
            f2("f1", "purpose:GRU", "ask"),
            f2("f2", "purpose:COMMERCIAL", "deny"),
            f2("f3", "purpose:DS:MONDO_0005148", "permit"),
            f2("f4", "discovery", "permit"),
            f2("f5", "recontact", "deny"),
            f2("f6", "study:st-1", "permit"),
            f2("f7", "ask_each_time", "permit"),
        ]),
    );
    let history = c.query(json!({"consent_history": {"subject": hex64("s1")}}));
    let first = &history["consents"][0];
    assert_eq!(first["decision"], "ask");
    assert_eq!(first["format"], 2);
    // A legacy record stores no format at all.
    c.ok(WRITER, record(vec![consent("l1", "s2", "research", "permit", 1)]));
    let legacy = c.query(json!({"consent_history": {"subject": hex64("s2")}}));
    assert!(legacy["consents"][0].get("format").is_none(), "{legacy}");

    let cases: Vec<(Value, &str)> = vec![
        (consent("x1", "s3", "purpose:GRU", "ask", 1), "needs record format 2"),
        (f2("x2", "study:st-1", "ask"), "only for purposes"),
        (f2("x3", "recontact", "ask"), "only for purposes"),
        (f2("x9", "ask_each_time", "ask"), "only for purposes"),
        (f2("x4", "purpose:XYZ", "permit"), "not a format-2 scope"),
        (f2("x5", "purpose:DS:MONDO_12", "deny"), "not a format-2 scope"),
        (f2("x6", "research", "permit"), "not a format-2 scope"),
        (f2("x7", "study:", "permit"), "not a format-2 scope"),
        (
            {
                let mut it = f2("x8", "purpose:GRU", "permit");
                it["format"] = json!(3);
                it
            },
            "unknown record format 3",
        ),
    ];
    for (item, needle) in cases {
        c.fails(WRITER, record(vec![item]), needle);
    }
}

#[test]
fn a_subject_with_a_passkey_is_not_recorded_on_the_writer_s_word_alone() {
    let mut c = Chain::new();
    c.ok(ADMIN, json!({"set_webauthn": {"origin": "https://consent.example", "rp_id": "consent.example"}}));
    let key = format!("04{}", "11".repeat(64));
    c.ok(
        WRITER,
        json!({"register_passkey": {"subject": hex64("s1"), "key_id": "key-1", "public_key": key,
            "proof": {"institution": {"witness": "enrolment"}}}}),
    );
    c.fails(
        WRITER,
        record(vec![consent("e1", "s1", "research", "deny", 1)]),
        "active passkey: the record must be signed by it, or recorded by the institution with a witness",
    );
    // The institution may still record for them, visibly and with a witness.
    let mut witnessed = consent("e1", "s1", "research", "deny", 1);
    witnessed["proof"] = json!({"institution": {"witness": "participant-session"}});
    c.ok(WRITER, record(vec![witnessed]));
    let history = c.query(json!({"consent_history": {"subject": hex64("s1")}}));
    assert_eq!(history["consents"][0]["attested_by"]["witness"], "participant-session");
    // Another subject without keys is still recorded on the writer's word.
    c.ok(WRITER, record(vec![consent("e2", "s2", "research", "deny", 1)]));
    // Once every key is removed, the writer may again record alone.
    c.ok(
        WRITER,
        json!({"remove_passkey": {"subject": hex64("s1"), "key_id": "key-1",
            "proof": {"institution": {"witness": "identity-check"}}}}),
    );
    c.ok(WRITER, record(vec![consent("e3", "s1", "research", "permit", 2)]));
}

// ------------------------------------------------------------------ anchors

#[test]
fn anchors_are_contiguous_idempotent_and_conflict_checked() {
    let mut c = Chain::new();
    c.fails(WRITER, anchor(2, 1, 10), "next batch is 1");
    c.fails(WRITER, anchor(0, 1, 10), "start at 1");
    let r = c.ok(WRITER, anchor(1, 5, 14));
    assert_eq!(r["events"][0]["type"], "audit_anchored");
    assert_eq!((attr(&r, "new"), attr(&r, "replayed")), ("1".into(), "0".into()));
    let head1 = c.head();
    assert_eq!(head1["anchors"], 1);

    // Replay.
    let before = c.store.clone();
    let r = c.ok(WRITER, anchor(1, 5, 14));
    assert_eq!((attr(&r, "new"), attr(&r, "replayed")), ("0".into(), "1".into()));
    assert_eq!(c.store, before);
    // Conflict.
    let mut other = anchor(1, 5, 14);
    other["anchor_audit"]["merkle_root"] = json!(hex64("different"));
    c.fails(WRITER, other, "different payload");
    c.fails(WRITER, anchor(1, 5, 15), "different payload");

    // Contiguity and arithmetic.
    c.fails(WRITER, anchor(2, 16, 20), "must start at seq 15");
    c.fails(WRITER, anchor(2, 14, 20), "must start at seq 15");
    c.fails(WRITER, anchor(3, 15, 20), "next batch is 2");
    let mut bad_count = anchor(2, 15, 20);
    bad_count["anchor_audit"]["count"] = json!(5);
    c.fails(WRITER, bad_count, "count");
    let mut reversed = anchor(2, 15, 20);
    reversed["anchor_audit"]["first_seq"] = json!(21);
    c.fails(WRITER, reversed, "first_seq");
    let mut bad_root = anchor(2, 15, 20);
    bad_root["anchor_audit"]["merkle_root"] = json!("00");
    c.fails(WRITER, bad_root, "merkle_root");
    c.ok(WRITER, anchor(2, 15, 20));

    // Head chain over anchors.
    let mut b = vec![2u8];
    b.extend_from_slice(&1u64.to_be_bytes());
    let root = hex64("root1");
    b.extend_from_slice(&(root.len() as u32).to_be_bytes());
    b.extend_from_slice(root.as_bytes());
    for n in [5u64, 14, 10] {
        b.extend_from_slice(&n.to_be_bytes());
    }
    b.extend_from_slice(&(WRITER.len() as u32).to_be_bytes());
    b.extend_from_slice(WRITER.as_bytes());
    assert_eq!(head1["head"], hex_encode(&sha256(&[&[0u8; 32][..], &b].concat())));

    let a = c.query(json!({"anchor": {"writer": WRITER, "batch": 2}}));
    assert_eq!((a["first_seq"].as_u64(), a["last_seq"].as_u64(), a["count"].as_u64()), (Some(15), Some(20), Some(6)));
    assert_eq!(a["writer"], WRITER);
    assert_eq!(c.query(json!({"anchor": {"writer": WRITER, "batch": 3}})), Value::Null);
}

#[test]
fn each_writer_anchors_its_own_audit_trail() {
    // Two member institutions each seal their own batch 1: separate streams, no conflict.
    let mut c = Chain::new();
    c.ok(ADMIN, json!({"add_writer": {"address": WRITER2}}));
    c.ok(WRITER, anchor(1, 1, 10));
    let mut theirs = anchor(1, 1, 4);
    theirs["anchor_audit"]["merkle_root"] = json!(hex64("theirs"));
    c.ok(WRITER2, theirs);
    c.ok(WRITER2, anchor(2, 5, 9));
    assert_eq!(c.head()["anchors"], 3);
    let mine = c.query(json!({"anchors": {"writer": WRITER}}));
    assert_eq!((mine["total"].as_u64(), mine["anchors"][0]["last_seq"].as_u64()), (Some(1), Some(10)));
    let other = c.query(json!({"anchors": {"writer": WRITER2}}));
    assert_eq!(other["total"], 2);
    assert_eq!(other["anchors"][0]["merkle_root"], hex64("theirs"));
    assert_eq!(other["anchors"][1]["writer"], WRITER2);
    // One writer's numbering says nothing about another's.
    c.fails(WRITER, anchor(3, 11, 12), "next batch is 2");
    // A writer cannot be asked about without naming a well-formed address.
    let bad = c.query_raw(br#"{"anchor":{"writer":"not an address","batch":1}}"#);
    assert!(bad.to_string().contains("address"), "{bad}");
}

#[test]
fn anchors_pagination() {
    let mut c = Chain::new();
    for b in 1..=25u64 {
        c.ok(WRITER, anchor(b, b * 10, b * 10 + 9));
    }
    let batches =
        |v: Value| v["anchors"].as_array().unwrap().iter().map(|a| a["batch"].as_u64().unwrap()).collect::<Vec<_>>();
    let w = WRITER;
    assert_eq!(batches(c.query(json!({"anchors": {"writer": w}}))), (1..=20).collect::<Vec<_>>());
    assert_eq!(batches(c.query(json!({"anchors": {"writer": w, "start_after": 20}}))), (21..=25).collect::<Vec<_>>());
    assert_eq!(batches(c.query(json!({"anchors": {"writer": w, "start_after": 3, "limit": 2}}))), vec![4, 5]);
    assert_eq!(batches(c.query(json!({"anchors": {"writer": w, "start_after": 25}}))), Vec::<u64>::new());
    assert_eq!(batches(c.query(json!({"anchors": {"writer": w, "limit": 1000}}))).len(), 25);
    assert_eq!(c.query(json!({"anchors": {"writer": w}}))["total"], 25);
}

// ------------------------------------------------------------------ grants

#[test]
fn record_grants_happy_replay_conflict() {
    let mut c = Chain::new();
    let r = c.ok(WRITER, json!({"record_grants": {"items": [grant("ge1", "g1", json!(1893456000)), grant("ge2", "g2", json!("1893456000"))]}}));
    assert_eq!(r["events"][0]["type"], "grant_recorded");
    assert_eq!(attr(&r, "new"), "2");
    let g = c.query(json!({"grant": {"grant_id": "g2"}}));
    assert_eq!(
        (g["expiry"].as_u64(), g["seq"].as_u64(), g["study_id"].as_str()),
        (Some(1893456000), Some(2), Some("study-1"))
    );
    assert_eq!(c.query(json!({"grant": {"grant_id": "g3"}})), Value::Null);
    assert_eq!(c.head()["grants"], 2);

    // Number vs string spelling of the same expiry is the same payload.
    let before = c.store.clone();
    let r = c.ok(WRITER, json!({"record_grants": {"items": [grant("ge1", "g1", json!("1893456000"))]}}));
    assert_eq!(attr(&r, "replayed"), "1");
    assert_eq!(c.store, before);

    c.fails(WRITER, json!({"record_grants": {"items": [grant("ge1", "g1", json!(5))]}}), "conflict");
    c.fails(WRITER, json!({"record_grants": {"items": [grant("ge3", "g1", json!(5))]}}), "already recorded by event");
    c.fails(WRITER, json!({"record_grants": {"items": [grant("ge3", "g3", json!("01"))]}}), "expiry");
    c.fails(WRITER, json!({"record_grants": {"items": [grant("ge3", "g3", json!(-5))]}}), "parse error");
    let items: Vec<Value> = (0..501).map(|i| grant(&format!("x{i}"), &format!("gx{i}"), json!(1))).collect();
    c.fails(WRITER, json!({"record_grants": {"items": items}}), "exceeds");
}

#[test]
fn ids_that_are_prefixes_of_each_other_do_not_collide() {
    let mut c = Chain::new();
    c.ok(WRITER, json!({"record_grants": {"items": [grant("k", "k", json!(1)), grant("kk", "kk", json!(2))]}}));
    assert_eq!(c.query(json!({"grant": {"grant_id": "k"}}))["expiry"], 1);
    assert_eq!(c.query(json!({"grant": {"grant_id": "kk"}}))["expiry"], 2);
    assert_eq!(c.query(json!({"event": {"event_id": "k"}}))["seq"], 1);
    assert_eq!(c.query(json!({"event": {"event_id": "kk"}}))["seq"], 2);
    c.ok(WRITER, record(vec![consent("c-k", "s", "k", "permit", 1), consent("c-kk", "s", "kk", "deny", 1)]));
    assert_eq!(c.query(json!({"consent": {"subject": hex64("s"), "scope": "k"}}))["decision"], "permit");
    assert_eq!(c.query(json!({"consent": {"subject": hex64("s"), "scope": "kk"}}))["decision"], "deny");
}

// ------------------------------------------------------------------ queries

#[test]
fn consent_history_pagination_and_isolation() {
    let mut c = Chain::new();
    // s1 gets seqs 1,3,5,..., s2 gets 2,4,6,...
    for i in 0..30u64 {
        let subj = if i % 2 == 0 { "s1" } else { "s2" };
        c.ok(WRITER, record(vec![consent(&format!("e{i}"), subj, "research", "permit", i + 1)]));
    }
    let seqs =
        |v: Value| v["consents"].as_array().unwrap().iter().map(|r| r["seq"].as_u64().unwrap()).collect::<Vec<_>>();
    let s1 = hex64("s1");
    let all: Vec<u64> = (0..15).map(|i| 2 * i + 1).collect();
    assert_eq!(seqs(c.query(json!({"consent_history": {"subject": s1}}))), all);
    assert_eq!(seqs(c.query(json!({"consent_history": {"subject": s1, "limit": 3}}))), vec![1, 3, 5]);
    assert_eq!(
        seqs(c.query(json!({"consent_history": {"subject": s1, "start_after": 5, "limit": 3}}))),
        vec![7, 9, 11]
    );
    assert_eq!(seqs(c.query(json!({"consent_history": {"subject": s1, "start_after": 6, "limit": 2}}))), vec![7, 9]);
    assert_eq!(seqs(c.query(json!({"consent_history": {"subject": s1, "start_after": 29}}))), Vec::<u64>::new());
    assert_eq!(seqs(c.query(json!({"consent_history": {"subject": hex64("nobody")}}))), Vec::<u64>::new());
    let r = c.query_raw(json!({"consent_history": {"subject": "xyz"}}).to_string().as_bytes());
    assert!(r["error"].as_str().unwrap().contains("subject"));
}

#[test]
fn limits_default_20_max_100() {
    let mut c = Chain::new();
    let items: Vec<Value> =
        (0..150).map(|i| consent(&format!("e{i}"), "s", &format!("scope{i}"), "permit", 1)).collect();
    c.ok(WRITER, record(items));
    let n = |v: Value| v["consents"].as_array().unwrap().len();
    assert_eq!(n(c.query(json!({"consent_history": {"subject": hex64("s")}}))), 20);
    assert_eq!(n(c.query(json!({"consent_history": {"subject": hex64("s"), "limit": 500}}))), 100);
}

#[test]
fn unknown_and_malformed_messages_are_errors() {
    let mut c = Chain::new();
    let err = |v: Value| v["error"].as_str().map(str::to_string).unwrap_or_else(|| panic!("expected error: {v}"));
    assert!(err(c.query_raw(br#"{"nope":{}}"#)).contains("unknown variant"));
    assert!(err(c.query_raw(b"{not json")).contains("parse error"));
    assert!(err(c.query_raw(b"")).contains("parse error"));
    assert!(err(c.query_raw(br#"{"consent":{"subject":"00"}}"#)).contains("parse error"));
    let before = c.store.clone();
    assert!(err(c.exec_raw(WRITER, br#"{"burn":{}}"#)).contains("unknown variant"));
    assert!(err(c.exec_raw(WRITER, b"[1,2")).contains("parse error"));
    assert!(err(c.exec_raw(WRITER, br#"{"record_consents":{}}"#)).contains("items"));
    assert!(err(c.exec_raw(
        WRITER,
        br#"{"anchor_audit":{"batch":1,"merkle_root":"00","first_seq":1,"last_seq":1,"count":1,"x":1}}"#
    ))
    .contains("unknown field"));
    assert!(err(c.exec_raw(ADMIN, br#"{"remove_writer":{"address":""}}"#)).contains("address"));
    assert!(err(c.query_raw(br#"{"config":{"x":1}}"#)).contains("unknown field"));
    assert!(err(c.query_raw(br#"{"head":{},"config":{}}"#)).contains("parse error"));
    // Non-ASCII input: the error stays ASCII (checked in `parse`).
    assert!(err(c.exec_raw(WRITER, "{\"r\u{e9}cord\":{}}".as_bytes())).contains("\\u{e9}"));
    assert_eq!(c.store, before);
    // Malformed env is an error too, not a panic.
    let r = parse(entry::query(&c.store, b"{}", br#"{"head":{}}"#));
    assert!(err(r).contains("env"));
}

#[test]
fn query_envelope_is_base64_json() {
    let c = Chain::new();
    let raw = entry::query(&c.store, &env(1), br#"{"head":{}}"#);
    let want = format!(r#"{{"head":"{ZERO_HEAD}","consents":0,"anchors":0,"grants":0}}"#);
    let want = format!(r#"{{"ok":"{}"}}"#, consent_ledger::encoding::base64_encode(want.as_bytes()));
    assert_eq!(String::from_utf8(raw).unwrap(), want);
}

#[test]
fn execute_envelope_has_cosmwasm_response_shape() {
    let mut c = Chain::new();
    let raw = entry::execute(
        &mut c.store,
        &MockApi::default(),
        &env(2),
        &info(ADMIN),
        br#"{"add_writer":{"address":"wasm1wrtr2zzzzz"}}"#,
    );
    let want = concat!(
        r#"{"ok":{"messages":[],"attributes":[{"key":"action","value":"add_writer"},"#,
        r#"{"key":"address","value":"wasm1wrtr2zzzzz"},{"key":"changed","value":"true"}],"#,
        r#""events":[{"type":"writers_changed","attributes":[{"key":"action","value":"add_writer"},"#,
        r#"{"key":"address","value":"wasm1wrtr2zzzzz"},{"key":"changed","value":"true"}]}],"data":null}}"#
    );
    assert_eq!(String::from_utf8(raw).unwrap(), want);
    let raw = entry::execute(
        &mut c.store,
        &MockApi::default(),
        &env(3),
        &info(OTHER),
        br#"{"add_writer":{"address":"wasm1wrtr2zzzzz"}}"#,
    );
    assert_eq!(String::from_utf8(raw).unwrap(), r#"{"error":"unauthorized: \"wasm1stranger\" is not the admin"}"#);
}
