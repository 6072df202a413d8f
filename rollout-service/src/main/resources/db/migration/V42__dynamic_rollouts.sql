-- Dynamic rollouts: a device that registers or starts matching the target later joins the running (or next) wave.
alter table rollout add column dynamic boolean not null default false;
create index rollout_dynamic_unfinished on rollout (created_at)
    where dynamic and state in ('SCHEDULED', 'RUNNING', 'WAITING_FOR_APPROVAL', 'PAUSED');
