-- Appends one audit event in one round trip (issue #19, item 4): lock, read the head, hash, insert.
-- It replaced audit_head_locked followed by an INSERT from the service, two round trips inside
-- every audited request. The hash is the service's: SHA-256 over the previous hash's bytes and
-- the UTF-8 canonical event text, which the service sends in two parts around the sequence
-- number (the only part it cannot know before the lock). The service recomputes the hash from
-- the returned previous hash and refuses (rolling back) if the two differ. A VOLATILE function
-- takes a new snapshot for each statement in it (READ COMMITTED), so the head read under the
-- lock sees every event committed by whoever held it before, as audit_head_locked does.
CREATE OR REPLACE FUNCTION audit_append_one(
  lock_key bigint,
  genesis_hash text,
  p_occurred_at timestamptz,
  p_actor_id uuid,
  p_actor_role text,
  p_action text,
  p_target_type text,
  p_target_id text,
  p_participant_id uuid,
  p_payload text,
  text_before_seq text,
  text_after_seq text
)
RETURNS TABLE (seq bigint, prev_hash text, hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  new_seq bigint;
  new_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  SELECT e.seq, e.hash INTO head_seq, head_hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
  new_seq := coalesce(head_seq, 0) + 1;
  head_hash := coalesce(head_hash, genesis_hash);
  new_hash := encode(
    sha256(decode(head_hash, 'hex') || convert_to(text_before_seq || new_seq::text || text_after_seq, 'UTF8')),
    'hex'
  );
  INSERT INTO audit_events AS e
    (seq, occurred_at, actor_id, actor_role, action, target_type, target_id, participant_id,
     payload, prev_hash, hash)
  VALUES
    (new_seq, p_occurred_at, p_actor_id, p_actor_role, p_action, p_target_type, p_target_id,
     p_participant_id, p_payload, head_hash, new_hash);
  RETURN QUERY SELECT new_seq, head_hash, new_hash;
END;
$$;
