-- GET /api/v1/rollouts?releaseId= pages a release's rollouts newest first by (created_at, id): this index serves the
-- filter and the keyset order in one backward scan, whatever the number of rollouts of other releases.
create index rollout_release_created on rollout (release_id, created_at, id);
