-- Releases and their artifacts. A release is immutable once published; only its state moves on.
create table releases (
    id         varchar(36)  primary key,
    name       varchar(100) not null,
    version    varchar(256) not null,
    state      varchar(20)  not null check (state in ('PUBLISHED', 'STABLE', 'REVOKED')),
    notes      text,
    created_at timestamptz  not null,
    -- two concurrent publishes of the same name+version: the database decides which one wins
    constraint releases_name_version unique (name, version)
);
create index releases_newest on releases (created_at desc, id desc);
create index releases_by_name_newest on releases (name, created_at desc, id desc);

-- The hardware a release may be installed on (revision '*' = any), in the order the publisher listed it.
create table release_hardware (
    release_id varchar(36)  not null references releases (id),
    position   integer      not null,
    model      varchar(100) not null,
    revision   varchar(100) not null,
    primary key (release_id, position)
);

-- One file of a release; the bytes live in the artifact store under sha256 (shared when two releases hold the same file).
create table artifacts (
    id         bigserial    primary key,
    release_id varchar(36)  not null references releases (id),
    part       varchar(100) not null,
    filename   varchar(255) not null,
    size       bigint       not null check (size >= 0),
    sha256     varchar(64)  not null,
    sha1       varchar(40)  not null,
    md5        varchar(32)  not null,
    constraint artifacts_filename unique (release_id, filename)
);
