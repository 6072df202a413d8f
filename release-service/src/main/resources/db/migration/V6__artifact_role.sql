-- Issue 22: which devices are offered a file. full (default): every device that cannot use a delta; delta: a delta
-- .swu, offered instead of the full files to devices reporting update.delta=zchunk; delta-source: a .zck a delta
-- handler fetches chunks from (every .zck, whatever the publisher said). Carried on ReleasePublished's artifacts.
alter table artifacts add column role varchar(20) not null default 'full';
update artifacts set role = 'delta-source' where lower(filename) like '%.zck';
alter table artifacts add constraint artifacts_role check (role in ('full', 'delta', 'delta-source'));
