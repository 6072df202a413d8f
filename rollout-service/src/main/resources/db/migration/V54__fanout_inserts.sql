-- Fan-out of a million devices (rollout-service README, "Fan-out"): the two tables that get one row per device of a
-- rollout (rollout_device at creation, device_action as the dispatcher creates the installs) keep only what a query
-- or a guarantee needs. Measured with EXPLAIN (ANALYZE, BUFFERS) on 1,000,000 rows.

-- The foreign keys to rollout ran a trigger per inserted row (a lookup of the rollout row FOR KEY SHARE): half the
-- time of the planning insert. Every row is written by the service for a rollout it has just read or created, and no
-- rollout is ever deleted. The key share also made each dispatcher transaction wait for a report batch holding the
-- rollout row FOR UPDATE (and the reverse), though they touch different rows.
alter table rollout_device drop constraint if exists rollout_device_rollout_id_fkey;
alter table device_action drop constraint if exists device_action_rollout_id_fkey;

-- No statement looks actions up by device alone (reports find them by action id, the API by rollout and device).
drop index if exists device_action_device;

-- The dispatcher sends a chunk it created by action id range (the primary key): the dispatch row keeps the highest
-- action id created so far, so the range is bounded and no index per wave is needed. Null: a wave created before
-- this change (its actions are read from last_action_id on, unbounded).
alter table command_dispatch add column created_upto bigint;
drop index if exists device_action_dispatch;
