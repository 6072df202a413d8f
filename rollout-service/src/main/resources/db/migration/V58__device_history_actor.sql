-- Issue 20: an operator's cancel at the gateway names who asked and why (ActionCanceled.canceledBy / reason); the
-- device's history shows them as the entry's actor and reason. Null for what devices reported (shown as 'device').
alter table device_history add column actor  varchar(255);
alter table device_history add column reason varchar(1000);
