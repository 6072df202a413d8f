-- issue 23: a rollout may require each device to confirm its install (hawkBit's confirmation flow); existing
-- rollouts never did
alter table rollout add column confirmation_required boolean not null default false;
