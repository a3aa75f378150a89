-- The audit log's head, read under the append lock, in one round trip instead of two. A
-- VOLATILE function takes a new snapshot for each statement in it (READ COMMITTED), so the
-- SELECT sees every event committed by whoever held the lock before us: the same guarantee as
-- the two separate statements it replaces. The caller passes the lock key (audit.service.ts).
CREATE OR REPLACE FUNCTION audit_head_locked(lock_key bigint)
RETURNS TABLE (seq bigint, hash text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY SELECT e.seq, e.hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
END;
$$;
