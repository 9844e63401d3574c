-- V1: the ledger, one row per request (issue 3).
-- Shared by SQLite and PostgreSQL: only types and syntax both accept.
-- Units are in the column names. Instants are microseconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE ledger_entry (
    tenant             TEXT             NOT NULL,
    request_id         TEXT             NOT NULL,
    at_epoch_us        BIGINT           NOT NULL,
    endpoint           TEXT             NOT NULL,
    model              TEXT             NOT NULL,
    node               TEXT,
    site               TEXT,
    jurisdiction       TEXT,            -- ISO 3166 code where it ran: FR or FR-BRE
    policy             TEXT,
    prompt_tokens      BIGINT           NOT NULL CHECK (prompt_tokens >= 0),
    completion_tokens  BIGINT           NOT NULL CHECK (completion_tokens >= 0),
    energy_j           DOUBLE PRECISION NOT NULL CHECK (energy_j >= 0),
    carbon_g           DOUBLE PRECISION NOT NULL CHECK (carbon_g >= 0),
    cost_usd           DOUBLE PRECISION NOT NULL,   -- negative when power prices were
    water_l            DOUBLE PRECISION NOT NULL CHECK (water_l >= 0),
    heat_reused_kwh_th DOUBLE PRECISION NOT NULL CHECK (heat_reused_kwh_th >= 0),
    estimated          BOOLEAN          NOT NULL,
    latency_ms         BIGINT           NOT NULL CHECK (latency_ms >= 0),
    status             TEXT             NOT NULL CHECK (status IN ('completed', 'failed', 'cancelled')),
    -- idempotency: a retried write of the same request counts once; per tenant, so one tenant's
    -- request ids can never shadow another's
    PRIMARY KEY (tenant, request_id)
);

-- a tenant's entries over a time window: GET /lattice/v1/ledger?tenant=&from=&to=
CREATE INDEX ledger_entry_tenant_time ON ledger_entry (tenant, at_epoch_us);

-- every tenant over a time window: operators and audits
CREATE INDEX ledger_entry_time ON ledger_entry (at_epoch_us);
