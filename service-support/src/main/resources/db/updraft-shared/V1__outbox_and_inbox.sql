-- Transactional outbox: events written with the state change, relayed to Kafka after commit (OutboxRelay).
create table outbox (
    id          bigserial primary key,
    topic       varchar(200) not null,
    record_key  varchar(200) not null,
    event_type  varchar(100) not null,
    event_id    varchar(64)  not null,
    occurred_at timestamptz  not null,
    payload     text         not null,
    created_at  timestamptz  not null default now()
);

-- Idempotent consumers: the event ids each consumer has applied (Inbox).
create table processed_event (
    consumer     varchar(100) not null,
    event_id     varchar(64)  not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
create index processed_event_age on processed_event (processed_at);
