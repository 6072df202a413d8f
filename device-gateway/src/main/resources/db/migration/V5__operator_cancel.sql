-- Issue 20: who asked for an operator's cancel at the gateway (their token's subject) and why, kept on the action
-- until the device answers, so the ActionCanceled that ends it carries them into the device's history.
alter table device_action add column cancel_requested_by varchar(255);
alter table device_action add column cancel_reason       varchar(1000);
