/** The outcome of recomputing the audit hash chain, as the API reports it. */
export interface AuditVerification {
  ok: boolean;
  checkedEvents: number;
  headHash: string;
  firstBroken: { seq: number; reason: string } | null;
}
