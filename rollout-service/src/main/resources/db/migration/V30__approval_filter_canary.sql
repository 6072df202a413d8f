-- Manual approval: a wave flagged here waits for POST /rollouts/{id}/approve before it starts.
alter table rollout alter column state type varchar(32);
alter table rollout_wave add column approval boolean not null default false;

-- What the rollout was created with, kept for its view: the filter expression, the canary size per cohort and the
-- extra attributes its canary strata are cut by (JSON array of attribute names).
alter table rollout add column filter text;
alter table rollout add column canary_per_cohort int not null default 0;
alter table rollout add column cohort_by jsonb not null default '[]';

-- The canary stratum of a target device when the rollout names cohortBy attributes (null: its hardware cohort).
alter table rollout_device add column stratum text;

-- SemVer 2.0 precedence as a text key that sorts bytewise (collation "C") in precedence order; null for a version that
-- is not SemVer. Major, minor, patch and numeric pre-release identifiers are written as two length digits and the
-- number; a release ends with '~', which sorts after every pre-release ('-' ... '!'); numeric identifiers ('1...')
-- sort before alphanumeric ones ('2...'); an alphanumeric identifier ends with ' ', below every identifier character,
-- so a prefix sorts first; '!' ends the list, below any further identifier. Build metadata is ignored.
-- io.updraft.rollout.filter.SemVer#sortKey computes the same key in Java (a test compares them).
create function updraft_version_key(version text) returns text
    language plpgsql immutable strict parallel safe as $$
declare
    core    text := version;
    pre     text;
    plus_at int := strpos(version, '+');
    dash_at int;
    key     text := '';
    id      text;
begin
    -- the common case, a plain release such as 2.10.3, in one expression
    if version ~ '^(?:0|[1-9][0-9]{0,98})\.(?:0|[1-9][0-9]{0,98})\.(?:0|[1-9][0-9]{0,98})$' then
        return lpad(length(split_part(version, '.', 1))::text, 2, '0') || split_part(version, '.', 1)
            || lpad(length(split_part(version, '.', 2))::text, 2, '0') || split_part(version, '.', 2)
            || lpad(length(split_part(version, '.', 3))::text, 2, '0') || split_part(version, '.', 3) || '~';
    end if;
    -- match-only regular expressions on the parts: one capturing SemVer expression costs ~100 µs a call here
    if plus_at > 0 then
        if substr(version, plus_at + 1) !~ '^[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*$' then
            return null;
        end if;
        core := substr(version, 1, plus_at - 1);
    end if;
    dash_at := strpos(core, '-');
    if dash_at > 0 then
        pre := substr(core, dash_at + 1);
        core := substr(core, 1, dash_at - 1);
    end if;
    if core !~ '^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)$' then
        return null;
    end if;
    foreach id in array string_to_array(core, '.') loop
        if length(id) > 99 then
            return null;
        end if;
        key := key || lpad(length(id)::text, 2, '0') || id;
    end loop;
    if pre is null then
        return key || '~';
    end if;
    if pre = '' then
        return null; -- string_to_array('', '.') is empty, not one empty identifier
    end if;
    key := key || '-';
    foreach id in array string_to_array(pre, '.') loop
        if id ~ '^[0-9]+$' then
            if length(id) > 99 or (length(id) > 1 and left(id, 1) = '0') then
                return null;
            end if;
            key := key || '1' || lpad(length(id)::text, 2, '0') || id;
        elsif id ~ '^[0-9a-zA-Z-]+$' then
            key := key || '2' || id || ' ';
        else
            return null; -- an empty identifier, or a character SemVer does not allow
        end if;
    end loop;
    return key || '!';
end
$$;

-- "version < 2.0.0" in a filter is a range scan on this key, computed by PostgreSQL whoever writes the row.
alter table device add column version_key text collate "C"
    generated always as (updraft_version_key(installed_version)) stored;
create index device_version_key on device (version_key);
