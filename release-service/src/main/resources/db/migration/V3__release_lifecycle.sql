-- Drafts, promotion and revocation; upgrade path, labels; who signed an artifact.
alter table releases drop constraint releases_state_check;
alter table releases add constraint releases_state_check check (state in ('DRAFT', 'PUBLISHED', 'STABLE', 'REVOKED'));
alter table releases add column min_installed_version varchar(256);
alter table releases add column revoked_reason varchar(1000);
alter table releases add column state_changed_at timestamptz;

create table release_label (
    release_id  varchar(36)  not null references releases (id),
    label_key   varchar(100) not null,
    label_value varchar(500) not null,
    primary key (release_id, label_key)
);

-- the subject of the trusted key whose signature over the artifact was verified at upload (null: not signed)
alter table artifacts add column signed_by varchar(500);
