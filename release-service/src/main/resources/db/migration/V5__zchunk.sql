-- Delta updates (zchunk): the index of every verified .zck, keyed by the bytes' sha256 like the blobs themselves, so
-- the same .zck in two releases is recorded once. Written in the transaction that records the artifact (multipart
-- publish) or marks a two-step upload received; only ever for bytes whose header and chunks verified.
create table zchunk_indexes (
    sha256       varchar(64) primary key,
    header_size  bigint      not null check (header_size > 0),
    chunk_count  integer     not null check (chunk_count >= 0),
    recorded_at  timestamptz not null default now()
);
-- one row per data chunk (number 1..n; chunk 0, the dictionary, is empty in the .zck files SWUpdate uses)
create table zchunk_chunks (
    sha256                varchar(64)  not null references zchunk_indexes (sha256),
    number                integer      not null check (number > 0),
    file_offset           bigint       not null check (file_offset >= 0),
    length                bigint       not null check (length >= 0),
    uncompressed_length   bigint       not null check (uncompressed_length >= 0),
    checksum              varchar(128) not null,
    uncompressed_checksum varchar(128),
    primary key (sha256, number)
);
-- shown in the release's artifact view; null for an artifact that is not a zchunk file
alter table artifacts add column zchunk_header_size bigint, add column zchunk_chunk_count integer;
