-- Issue 16: telemetry's evidence for a cohort's rollback (the rule, devices counted and judged, observed value and
-- limit, window), as RollbackTriggered carried it; null for an operator's rollback.
alter table rollout_cohort add column rollback_evidence jsonb;
