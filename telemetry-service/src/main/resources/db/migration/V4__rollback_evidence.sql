-- Which rule decided a rollback, and the numbers that met it (issue 16): a verdict explains itself.
alter table rollback_decision add column rule            varchar(40);
alter table rollback_decision add column devices_counted bigint           not null default 0;
alter table rollback_decision add column devices_judged  bigint           not null default 0;
alter table rollback_decision add column observed        double precision not null default 0;
alter table rollback_decision add column rule_limit      double precision not null default 0;
