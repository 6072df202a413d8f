-- Two-step uploads: announced by POST /api/v1/uploads, bytes PUT to a secret URL (only its sha256 is kept here),
-- staged in the artifact store under the upload id, adopted by the publish that references the upload.
create table uploads (
    id               varchar(36)  primary key,
    token_sha256     varchar(64)  not null,
    filename         varchar(255) not null,
    announced_size   bigint       check (announced_size >= 0),
    announced_sha256 varchar(64),
    state            varchar(20)  not null check (state in ('CREATED', 'RECEIVING', 'RECEIVED', 'USED')),
    size             bigint       check (size >= 0),
    sha256           varchar(64),
    sha1             varchar(40),
    md5              varchar(32),
    -- a signed SWU's embedded sw-description.sig, checked when the bytes arrived (signer null: it did not verify)
    swu_signed       boolean      not null default false,
    swu_signer       varchar(500),
    release_id       varchar(36)  references releases (id),
    created_by       varchar(255),
    created_at       timestamptz  not null,
    expires_at       timestamptz  not null,
    constraint uploads_received check (state in ('CREATED', 'RECEIVING') or sha256 is not null),
    constraint uploads_used check (state <> 'USED' or release_id is not null)
);
create index uploads_expiry on uploads (expires_at);
