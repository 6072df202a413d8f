-- Issue 22: the .zck files (role delta-source) of the releases this gateway was told to install, by sha256, so a
-- delta link (/delta/v1/<tenant>/<sha256>.zck?key=..) finds the artifact to stream without asking the release-service.
-- Filled from InstallRequested as commands arrive (one row per artifact, however many devices get it).
create table delta_source (
    sha256       varchar(64)  not null,
    artifact_id  bigint       not null,
    release_id   varchar(200),
    artifact     text         not null,
    recorded_at  timestamptz  not null,
    primary key (sha256, artifact_id)
);
